namespace MigrationTools.Engine.Workloads;

/// <summary>How a workload's running state crosses to another host.</summary>
public enum CheckpointMode
{
    /// <summary>Live: the process tree is checkpointed with CRIU and restored on the target with its memory (<c>criu</c>).</summary>
    Criu,

    /// <summary>Cold: the workload is stopped on the source and started afresh on the target (<c>restart</c>).</summary>
    Restart,
}
