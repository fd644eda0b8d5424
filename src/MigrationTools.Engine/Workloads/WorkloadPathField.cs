namespace MigrationTools.Engine.Workloads;

/// <summary>A directory of <see cref="WorkloadPaths"/>, as a fault names it; each member is named as its property.</summary>
public enum WorkloadPathField
{
    /// <summary><see cref="WorkloadPaths.ManifestDirectory"/>.</summary>
    ManifestDirectory,

    /// <summary><see cref="WorkloadPaths.RuntimeDirectory"/>.</summary>
    RuntimeDirectory,
}
