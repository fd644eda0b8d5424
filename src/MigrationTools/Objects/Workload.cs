using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Linq;
using MigrationTools.Engine.Workloads;

namespace MigrationTools;

/// <summary>
/// A workload as one host declares and runs it: what <c>Get-Workload</c> writes. <see cref="ComputerName"/> and
/// <see cref="Name"/> are named like the parameters of the cmdlets that act on a workload, so a workload piped into
/// them binds by property name.
/// </summary>
public sealed class Workload
{
    /// <summary>Creates the object for one host's summary of a workload.</summary>
    /// <param name="summary">The engine's summary.</param>
    /// <param name="paths">Where that host keeps its manifests.</param>
    internal Workload(WorkloadSummary summary, WorkloadPaths paths)
    {
        if (summary is null)
        {
            throw new ArgumentNullException(nameof(summary));
        }

        var manifest = summary.Manifest;
        ComputerName = summary.Host;
        Name = summary.Name.Value;
        State = summary.State;
        ProcessId = summary.Pid;
        Datasets = ReadOnly(manifest.Datasets.Select(d => d.Value));
        UsedBytes = summary.UsedBytes;
        MissingDatasets = ReadOnly(summary.Datasets.Where(d => !d.Exists).Select(d => d.Dataset.Value));
        CheckpointMode = manifest.CheckpointMode;
        MigrationPolicy = manifest.MigrationPolicy;
        Command = ReadOnly(manifest.Command);
        WorkingDirectory = manifest.WorkingDirectory;
        Environment = manifest.Environment;
        HealthCheck = manifest.HealthCheck;
        ServiceAddresses = ReadOnly(manifest.ServiceAddresses.Select(a => a.ToString()));
        ManifestPath = (paths ?? throw new ArgumentNullException(nameof(paths))).ManifestFile(summary.Name);
    }

    /// <summary>The host, as the cmdlets were given it (an ssh_config alias, host name or address).</summary>
    public string ComputerName { get; }

    /// <summary>The workload's name, unique on its host.</summary>
    public string Name { get; }

    /// <summary>Running, Stopped, or Frozen (checkpointed, its process tree stopped).</summary>
    public WorkloadState State { get; }

    /// <summary>The root process's PID on the host; empty when the workload is stopped.</summary>
    public int? ProcessId { get; }

    /// <summary>The ZFS datasets that move with the workload, in the manifest's order.</summary>
    public ReadOnlyCollection<string> Datasets { get; }

    /// <summary>The bytes the workload's datasets use on this host, their snapshots and children included.</summary>
    public long UsedBytes { get; }

    /// <summary>The workload's datasets this host does not have (none on the host that runs it).</summary>
    public ReadOnlyCollection<string> MissingDatasets { get; }

    /// <summary>How its running state moves: Criu (live, with its memory) or Restart (stopped, then started afresh).</summary>
    public CheckpointMode CheckpointMode { get; }

    /// <summary>Who may move it: Manual, Allowed (when a person asks) or Automatic (automation too).</summary>
    public MigrationPolicy MigrationPolicy { get; }

    /// <summary>The program and its arguments, each reaching the program as one word.</summary>
    public ReadOnlyCollection<string> Command { get; }

    /// <summary>The directory the command starts in.</summary>
    public string WorkingDirectory { get; }

    /// <summary>Variables added to the command's environment. Values may be secrets; the views show only the names.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; }

    /// <summary>How to tell the workload is healthy after a start or restore; empty when it has none.</summary>
    public HealthCheck? HealthCheck { get; }

    /// <summary>
    /// The addresses its clients reach it at, each written ADDRESS/PREFIX@INTERFACE (such as <c>10.0.0.80/24@eth0</c>):
    /// the host that runs it holds them, and they move with it. Empty when it has none.
    /// </summary>
    public ReadOnlyCollection<string> ServiceAddresses { get; }

    /// <summary>The manifest file on the host.</summary>
    public string ManifestPath { get; }

    /// <summary>The workload and its host, such as <c>web on h1</c>.</summary>
    /// <returns>The description.</returns>
    public override string ToString() => $"{Name} on {ComputerName}";

    private static ReadOnlyCollection<string> ReadOnly(IEnumerable<string> values) => new(values.ToList());
}
