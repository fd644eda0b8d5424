using System.Collections.Generic;
using System.Linq;

namespace MigrationTools.Engine.Workloads;

/// <summary>A workload as one host has it: its manifest, whether it runs, and its datasets' usage.</summary>
/// <param name="Host">The host, as the connection names it.</param>
/// <param name="Manifest">The workload's manifest on that host.</param>
/// <param name="Status">Whether it runs there.</param>
/// <param name="Datasets">Its datasets, in manifest order, with the bytes each uses there.</param>
public sealed record WorkloadSummary(string Host, WorkloadManifest Manifest, WorkloadStatus Status, IReadOnlyList<WorkloadDatasetUsage> Datasets)
{
    /// <summary>The workload's name.</summary>
    public WorkloadName Name => Manifest.Name;

    /// <summary>Running, frozen or stopped.</summary>
    public WorkloadState State => Status.State;

    /// <summary>The root process's PID, or <see langword="null"/> when stopped.</summary>
    public int? Pid => Status.Pid;

    /// <summary>The bytes all its datasets present on the host use.</summary>
    public long UsedBytes => Datasets.Sum(d => d.UsedBytes ?? 0);
}
