using MigrationTools.Engine.Zfs;

namespace MigrationTools.Engine.Workloads;

/// <summary>One of a workload's datasets on a host and the space it uses there.</summary>
/// <param name="Dataset">The dataset.</param>
/// <param name="UsedBytes">Bytes used by it, its snapshots and children; <see langword="null"/> when the host does not have it.</param>
public sealed record WorkloadDatasetUsage(DatasetName Dataset, long? UsedBytes)
{
    /// <summary>True when the host has the dataset.</summary>
    public bool Exists => UsedBytes is not null;
}
