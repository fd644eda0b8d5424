using System;
using System.Collections.Generic;
using System.Globalization;
using MigrationTools.Engine.Network;
using MigrationTools.Engine.Zfs;

namespace MigrationTools.Engine.Workloads;

/// <summary>
/// Checks the values of a manifest and of its health check as <see cref="WorkloadManifest"/> and
/// <see cref="HealthCheck"/> do, and says which one is wrong: front ends check what they were given with it and map
/// <see cref="WorkloadManifestFault.Field"/> to their own parameter's name.
/// </summary>
public static class WorkloadManifestValidator
{
    /// <summary>The first fault of a manifest with these values, or <see langword="null"/> when it can be made.</summary>
    /// <param name="datasets">The datasets that move with the workload.</param>
    /// <param name="command">The program and its arguments.</param>
    /// <param name="checkpointMode">Live (CRIU) or cold (restart).</param>
    /// <param name="workingDirectory">The directory the command starts in; <see langword="null"/> for the default.</param>
    /// <param name="environment">Variables added to the command's environment; <see langword="null"/> for none.</param>
    /// <param name="migrationPolicy">Who may move it.</param>
    /// <param name="serviceAddresses">The addresses that move with it; <see langword="null"/> for none.</param>
    /// <returns>The fault, or <see langword="null"/>.</returns>
    public static WorkloadManifestFault? Check(
        IReadOnlyList<DatasetName>? datasets,
        IReadOnlyList<string>? command,
        CheckpointMode checkpointMode,
        string? workingDirectory,
        IEnumerable<KeyValuePair<string, string>>? environment,
        MigrationPolicy migrationPolicy,
        IReadOnlyList<ServiceAddress>? serviceAddresses = null)
    {
        if (WorkloadManifestRules.DatasetsError(datasets ?? Array.Empty<DatasetName>(), out var dataset) is { } datasetsError)
        {
            return new WorkloadManifestFault(WorkloadManifestField.Datasets, datasets![dataset]?.Value, datasetsError);
        }

        if (WorkloadManifestRules.CommandError(command, out var word) is { } commandError)
        {
            return new WorkloadManifestFault(WorkloadManifestField.Command, word >= 0 ? command![word] : null, commandError);
        }

        if (!Enum.IsDefined(typeof(CheckpointMode), checkpointMode))
        {
            return new WorkloadManifestFault(WorkloadManifestField.CheckpointMode, Text(checkpointMode), "The checkpoint mode is unknown; give Criu or Restart.");
        }

        if (!Enum.IsDefined(typeof(MigrationPolicy), migrationPolicy))
        {
            return new WorkloadManifestFault(WorkloadManifestField.MigrationPolicy, Text(migrationPolicy), "The migration policy is unknown; give Manual, Allowed or Automatic.");
        }

        if (WorkloadManifestRules.WorkingDirectoryError(workingDirectory ?? WorkloadManifest.DefaultWorkingDirectory) is { } directoryError)
        {
            return new WorkloadManifestFault(WorkloadManifestField.WorkingDirectory, workingDirectory, directoryError);
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var variable in environment ?? Array.Empty<KeyValuePair<string, string>>())
        {
            var error = WorkloadManifestRules.EnvironmentNameError(variable.Key)
                ?? (WorkloadManifestRules.WordError(variable.Value) is { } valueError ? $"The environment variable {variable.Key}: {valueError}" : null)
                ?? (names.Add(variable.Key) ? null : $"The environment variable {variable.Key} is given twice.");
            if (error is not null)
            {
                return new WorkloadManifestFault(WorkloadManifestField.Environment, variable.Key, error);
            }
        }

        if (WorkloadManifestRules.ServiceAddressesError(serviceAddresses ?? Array.Empty<ServiceAddress>(), out var address) is { } addressError)
        {
            return new WorkloadManifestFault(WorkloadManifestField.ServiceAddresses, serviceAddresses![address]?.ToString(), addressError);
        }

        return null;
    }

    /// <summary>
    /// Reads service addresses written as <c>ADDRESS/PREFIX@INTERFACE</c>, as front ends receive them, and checks the
    /// list as a manifest would.
    /// </summary>
    /// <param name="texts">The addresses as written.</param>
    /// <param name="addresses">The addresses, when every one is valid.</param>
    /// <returns>The first fault, or <see langword="null"/>.</returns>
    public static WorkloadManifestFault? CheckServiceAddresses(IReadOnlyList<string>? texts, out IReadOnlyList<ServiceAddress> addresses)
    {
        var parsed = new List<ServiceAddress>();
        addresses = parsed;
        foreach (var text in texts ?? Array.Empty<string>())
        {
            if (!ServiceAddress.TryParse(text, out var address, out var error))
            {
                return new WorkloadManifestFault(WorkloadManifestField.ServiceAddresses, text, error!);
            }

            parsed.Add(address!);
        }

        return WorkloadManifestRules.ServiceAddressesError(parsed, out var at) is { } listError
            ? new WorkloadManifestFault(WorkloadManifestField.ServiceAddresses, parsed[at].ToString(), listError)
            : null;
    }

    /// <summary>The fault of a health check that runs a command, or <see langword="null"/>.</summary>
    /// <param name="argv">The program and its arguments.</param>
    /// <param name="timeoutSeconds">The time limit in seconds.</param>
    /// <returns>The fault, or <see langword="null"/>.</returns>
    public static WorkloadManifestFault? CheckCommandHealthCheck(IReadOnlyList<string>? argv, int timeoutSeconds) =>
        WorkloadManifestRules.CommandError(argv, out var word) is { } error
            ? new WorkloadManifestFault(WorkloadManifestField.HealthCheckCommand, word >= 0 ? argv![word] : null, error)
            : TimeoutFault(timeoutSeconds);

    /// <summary>The fault of a health check that connects to a TCP port, or <see langword="null"/>.</summary>
    /// <param name="port">The port.</param>
    /// <param name="timeoutSeconds">The time limit in seconds.</param>
    /// <returns>The fault, or <see langword="null"/>.</returns>
    public static WorkloadManifestFault? CheckTcpPortHealthCheck(int port, int timeoutSeconds) =>
        WorkloadManifestRules.TcpPortError(port) is { } error
            ? new WorkloadManifestFault(WorkloadManifestField.HealthCheckTcpPort, Text(port), error)
            : TimeoutFault(timeoutSeconds);

    /// <summary>The fault of a health check that fetches a URL, or <see langword="null"/>.</summary>
    /// <param name="url">The URL as written.</param>
    /// <param name="timeoutSeconds">The time limit in seconds.</param>
    /// <returns>The fault, or <see langword="null"/>.</returns>
    public static WorkloadManifestFault? CheckHttpUrlHealthCheck(string? url, int timeoutSeconds) =>
        WorkloadManifestRules.HttpUrlError(url, out _) is { } error
            ? new WorkloadManifestFault(WorkloadManifestField.HealthCheckHttpUrl, url, error)
            : TimeoutFault(timeoutSeconds);

    private static WorkloadManifestFault? TimeoutFault(int timeoutSeconds) =>
        WorkloadManifestRules.TimeoutSecondsError(timeoutSeconds) is { } error
            ? new WorkloadManifestFault(WorkloadManifestField.HealthCheckTimeout, Text(timeoutSeconds), error)
            : null;

    private static string Text(IFormattable value) => value.ToString(null, CultureInfo.InvariantCulture);
}
