namespace MigrationTools.Engine.Workloads;

/// <summary>A value of a <see cref="WorkloadManifest"/> or of its <see cref="HealthCheck"/>, as a fault names it.</summary>
public enum WorkloadManifestField
{
    /// <summary><see cref="WorkloadManifest.Datasets"/>.</summary>
    Datasets,

    /// <summary><see cref="WorkloadManifest.Command"/>.</summary>
    Command,

    /// <summary><see cref="WorkloadManifest.CheckpointMode"/>.</summary>
    CheckpointMode,

    /// <summary><see cref="WorkloadManifest.WorkingDirectory"/>.</summary>
    WorkingDirectory,

    /// <summary><see cref="WorkloadManifest.Environment"/>: a variable's name or value.</summary>
    Environment,

    /// <summary><see cref="WorkloadManifest.MigrationPolicy"/>.</summary>
    MigrationPolicy,

    /// <summary><see cref="WorkloadManifest.ServiceAddresses"/>: one address, or the list.</summary>
    ServiceAddresses,

    /// <summary>The <see cref="HealthCheck.Command"/> of a command check.</summary>
    HealthCheckCommand,

    /// <summary>The <see cref="HealthCheck.TcpPort"/> of a port check.</summary>
    HealthCheckTcpPort,

    /// <summary>The <see cref="HealthCheck.HttpUrl"/> of a URL check.</summary>
    HealthCheckHttpUrl,

    /// <summary><see cref="HealthCheck.TimeoutSeconds"/>.</summary>
    HealthCheckTimeout,
}
