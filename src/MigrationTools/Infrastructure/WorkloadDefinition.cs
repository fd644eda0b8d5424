using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using MigrationTools.Engine.Network;
using MigrationTools.Engine.Workloads;

namespace MigrationTools.Infrastructure;

/// <summary>
/// Builds a workload manifest from Register-Workload's parameters. The engine's validator checks every value; a value
/// it refuses becomes an <see cref="InputException"/> naming the cmdlet's parameter (<see cref="WorkloadFieldParameters"/>),
/// with the engine's message.
/// </summary>
internal static class WorkloadDefinition
{
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
        MigrationPolicy migrationPolicy,
        IReadOnlyList<ServiceAddress> serviceAddresses)
    {
        var workloadName = InputValidation.WorkloadName(name);
        var datasetNames = InputValidation.DatasetNames(datasets);
        var variables = InputValidation.EnvironmentVariables(environment);
        var words = (command ?? Array.Empty<string>()).ToArray();
        Check(WorkloadManifestValidator.Check(datasetNames, words, checkpointMode, workingDirectory, variables, migrationPolicy, serviceAddresses));
        return new WorkloadManifest(
            workloadName, datasetNames, words, checkpointMode, workingDirectory, variables, healthCheck, migrationPolicy, serviceAddresses);
    }

    /// <summary>A health check that runs <paramref name="command"/> on the host.</summary>
    public static HealthCheck CommandHealthCheck(IEnumerable<string>? command, int timeoutSeconds)
    {
        var words = (command ?? Array.Empty<string>()).ToArray();
        Check(WorkloadManifestValidator.CheckCommandHealthCheck(words, timeoutSeconds));
        return HealthCheck.ForCommand(words, timeoutSeconds);
    }

    /// <summary>A health check that connects to <paramref name="port"/> on the host.</summary>
    public static HealthCheck TcpPortHealthCheck(int port, int timeoutSeconds)
    {
        Check(WorkloadManifestValidator.CheckTcpPortHealthCheck(port, timeoutSeconds));
        return HealthCheck.ForTcpPort(port, timeoutSeconds);
    }

    /// <summary>A health check that fetches <paramref name="url"/> on the host.</summary>
    public static HealthCheck HttpUrlHealthCheck(Uri? url, int timeoutSeconds)
    {
        Check(WorkloadManifestValidator.CheckHttpUrlHealthCheck(url?.OriginalString, timeoutSeconds));
        return HealthCheck.ForHttpUrl(url!, timeoutSeconds);
    }

    private static void Check(WorkloadManifestFault? fault)
    {
        if (fault is not null)
        {
            throw new InputException(ErrorIds.InvalidWorkloadDefinition, WorkloadFieldParameters.Manifest[fault.Field], fault.Value, fault.Message);
        }
    }
}
