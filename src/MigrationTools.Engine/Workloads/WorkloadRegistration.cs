namespace MigrationTools.Engine.Workloads;

/// <summary>What <see cref="WorkloadService.RegisterAsync"/> did.</summary>
public enum WorkloadRegistration
{
    /// <summary>The manifest was written; the host declared no workload by that name.</summary>
    Registered,

    /// <summary>The manifest replaced a different or unreadable one.</summary>
    Replaced,

    /// <summary>The host already declared exactly this manifest; nothing was written.</summary>
    Unchanged,
}
