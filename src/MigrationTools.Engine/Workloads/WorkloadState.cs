namespace MigrationTools.Engine.Workloads;

/// <summary>Whether a workload's process tree runs on a host.</summary>
public enum WorkloadState
{
    /// <summary>No recorded process runs (never started, stopped, exited, or moved away).</summary>
    Stopped,

    /// <summary>The recorded process runs.</summary>
    Running,

    /// <summary>The recorded process exists, but every task of its tree is stopped (T or t), as a checkpoint leaves it.</summary>
    Frozen,
}
