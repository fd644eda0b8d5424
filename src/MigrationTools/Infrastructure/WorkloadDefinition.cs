using System;
using System.Collections;
using System.Collections.Generic;
using MigrationTools.Engine.Workloads;

namespace MigrationTools.Infrastructure;

/// <summary>
/// Builds a workload manifest from Register-Workload's parameters. The engine checks every value; a value it refuses
/// becomes an <see cref="InputException"/> naming the cmdlet's parameter, with the engine's message.
/// </summary>
internal static class WorkloadDefinition
{
    // The manifest constructor's parameters, as the cmdlet calls them.
    private static readonly Dictionary<string, string> ParameterOf = new(StringComparer.Ordinal)
    {
        ["datasets"] = "Dataset",
        ["command"] = "Command",
        ["workingDirectory"] = "WorkingDirectory",
        ["environment"] = "Environment",
        ["checkpointMode"] = "CheckpointMode",
        ["migrationPolicy"] = "MigrationPolicy",
    };

    /// <summary>The manifest the parameters describe.</summary>
    /// <exception cref="InputException">A value is invalid; the error identifier says which kind.</exception>
    public static WorkloadManifest Create(
        string name,
        IEnumerable<string> datasets,
        IEnumerable<string> command,
        string? workingDirectory,
        IDictionary? environment,
        CheckpointMode checkpointMode,
        HealthCheck? healthCheck,
        MigrationPolicy migrationPolicy)
    {
        var workloadName = InputValidation.WorkloadName(name);
        var datasetNames = InputValidation.DatasetNames(datasets);
        var variables = InputValidation.EnvironmentVariables(environment);
        try
        {
            return new WorkloadManifest(
                workloadName, datasetNames, command, checkpointMode, workingDirectory, variables, healthCheck, migrationPolicy);
        }
        catch (ArgumentException error)
        {
            var parameter = error.ParamName is { } engineName && ParameterOf.TryGetValue(engineName, out var cmdletName) ? cmdletName : "Command";
            throw new InputException(ErrorIds.InvalidWorkloadDefinition, parameter, null, InputValidation.Fault(error), error);
        }
    }

    /// <summary>A health check that runs <paramref name="command"/> on the host.</summary>
    public static HealthCheck CommandHealthCheck(IEnumerable<string>? command, int timeoutSeconds) =>
        Check("HealthCommand", command, () => HealthCheck.ForCommand(command ?? Array.Empty<string>(), timeoutSeconds));

    /// <summary>A health check that connects to <paramref name="port"/> on the host.</summary>
    public static HealthCheck TcpPortHealthCheck(int port, int timeoutSeconds) =>
        Check("HealthPort", port, () => HealthCheck.ForTcpPort(port, timeoutSeconds));

    /// <summary>A health check that fetches <paramref name="url"/> on the host.</summary>
    public static HealthCheck HttpUrlHealthCheck(Uri? url, int timeoutSeconds) =>
        Check("HealthUrl", url, () => HealthCheck.ForHttpUrl(url!, timeoutSeconds));

    private static HealthCheck Check(string parameter, object? value, Func<HealthCheck> create)
    {
        try
        {
            return create();
        }
        catch (ArgumentException error)
        {
            // The timeout is the only other value a health check takes.
            var blamed = error.ParamName == "timeoutSeconds" ? "HealthTimeoutSeconds" : parameter;
            throw new InputException(ErrorIds.InvalidWorkloadDefinition, blamed, value, InputValidation.Fault(error), error);
        }
    }
}
