using System.Collections.Generic;
using MigrationTools.Engine.Workloads;

namespace MigrationTools.Infrastructure;

/// <summary>
/// The cmdlets' names for the engine's workload fields, in one table: the engine says which value is wrong, the
/// user knows the parameter that gave it.
/// </summary>
internal static class WorkloadFieldParameters
{
    /// <summary>The parameter of each directory of <see cref="WorkloadPaths"/> (every cmdlet that reaches hosts has both).</summary>
    public static IReadOnlyDictionary<WorkloadPathField, string> Paths { get; } = new Dictionary<WorkloadPathField, string>
    {
        [WorkloadPathField.ManifestDirectory] = "ManifestDirectory",
        [WorkloadPathField.RuntimeDirectory] = "RuntimeDirectory",
    };

    /// <summary>The parameter of Register-Workload that gives each value of a manifest.</summary>
    public static IReadOnlyDictionary<WorkloadManifestField, string> Manifest { get; } = new Dictionary<WorkloadManifestField, string>
    {
        [WorkloadManifestField.Datasets] = "Dataset",
        [WorkloadManifestField.Command] = "Command",
        [WorkloadManifestField.CheckpointMode] = "CheckpointMode",
        [WorkloadManifestField.WorkingDirectory] = "WorkingDirectory",
        [WorkloadManifestField.Environment] = "Environment",
        [WorkloadManifestField.MigrationPolicy] = "MigrationPolicy",
        [WorkloadManifestField.ServiceAddresses] = "ServiceAddress",
        [WorkloadManifestField.HealthCheckCommand] = "HealthCommand",
        [WorkloadManifestField.HealthCheckTcpPort] = "HealthPort",
        [WorkloadManifestField.HealthCheckHttpUrl] = "HealthUrl",
        [WorkloadManifestField.HealthCheckTimeout] = "HealthTimeoutSeconds",
    };
}
