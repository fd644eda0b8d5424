
namespace MigrationTools.Engine.Workloads;

/// <summary>A workload's state on one host.</summary>
/// <param name="Name">The workload.</param>
/// <param name="State">Running, frozen or stopped.</param>
/// <param name="Process">The root of its process tree; <see langword="null"/> when stopped.</param>
public sealed record WorkloadStatus(WorkloadName Name, WorkloadState State, WorkloadProcess? Process)
{
    /// <summary>The root's PID, or <see langword="null"/> when stopped.</summary>
    public int? Pid => Process?.Pid;
}
