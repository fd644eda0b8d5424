using MigrationTools.Engine.Workloads;

namespace MigrationTools.Cli.Options;

/// <summary>
/// The command line's names for the engine's workload fields, in one table: the engine says which value is wrong,
/// the user knows the option that gave it.
/// </summary>
internal static class WorkloadFieldOptions
{
    /// <summary>The option of each directory of <see cref="WorkloadPaths"/>.</summary>
    public static IReadOnlyDictionary<WorkloadPathField, string> Paths { get; } = new Dictionary<WorkloadPathField, string>
    {
        [WorkloadPathField.ManifestDirectory] = "--manifest-dir",
        [WorkloadPathField.RuntimeDirectory] = "--runtime-dir",
    };

    /// <summary>The option (or argument) of <c>workload register</c> that gives each value of a manifest.</summary>
    public static IReadOnlyDictionary<WorkloadManifestField, string> Manifest { get; } = new Dictionary<WorkloadManifestField, string>
    {
        [WorkloadManifestField.Datasets] = "--dataset",
        [WorkloadManifestField.Command] = "the command after '--'",
        [WorkloadManifestField.CheckpointMode] = "--checkpoint-mode",
        [WorkloadManifestField.WorkingDirectory] = "--working-directory",
        [WorkloadManifestField.Environment] = "--env",
        [WorkloadManifestField.MigrationPolicy] = "--migration-policy",
        [WorkloadManifestField.ServiceAddresses] = "--service-address",
        [WorkloadManifestField.HealthCheckCommand] = "--health-command",
        [WorkloadManifestField.HealthCheckTcpPort] = "--health-port",
        [WorkloadManifestField.HealthCheckHttpUrl] = "--health-url",
        [WorkloadManifestField.HealthCheckTimeout] = "--health-timeout",
    };

    /// <summary>A path fault as the command line reports it: the option, then the engine's message.</summary>
    /// <param name="fault">The engine's fault.</param>
    /// <returns>The exception to throw.</returns>
    public static UsageException Usage(WorkloadPathFault fault) => new($"{Paths[fault.Field]}: {fault.Message}");

    /// <summary>A manifest fault as the command line reports it: the option, then the engine's message.</summary>
    /// <param name="fault">The engine's fault.</param>
    /// <returns>The exception to throw.</returns>
    public static UsageException Usage(WorkloadManifestFault fault) => new($"{Manifest[fault.Field]}: {fault.Message}");
}
