namespace MigrationTools.Engine.Workloads;

/// <summary>What <see cref="WorkloadService.StartAsync"/> did, and the workload's process tree afterwards.</summary>
/// <param name="Started">True when it was started; false when it already ran, and was left as it was.</param>
/// <param name="Process">Its process tree's init.</param>
public sealed record WorkloadStartResult(bool Started, WorkloadProcess Process);
