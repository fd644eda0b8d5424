namespace MigrationTools.Engine.Workloads;

/// <summary>Why <see cref="WorkloadService"/> refused to act on a workload.</summary>
public enum WorkloadRefusal
{
    /// <summary>The host declares no workload by that name.</summary>
    NotDeclared,

    /// <summary>A different (or unreadable) manifest is already declared under that name, and replacing it was not asked for.</summary>
    AlreadyRegistered,

    /// <summary>The workload runs (or is frozen), so its manifest must stay: without it nothing could stop or move it by name.</summary>
    NotStopped,

    /// <summary>The workload is frozen by a checkpoint; starting it again would clash with the migration that froze it.</summary>
    Frozen,
}
