using System;
using System.Collections.Generic;
using System.Linq;
using MigrationTools.Engine.Criu;
using MigrationTools.Engine.Network;
using MigrationTools.Engine.Preflight;
using MigrationTools.Engine.Workloads;

namespace MigrationTools.Engine.Migrations;

/// <summary>
/// What a migration would do and whether it can: every preflight check with its verdict, the datasets with
/// estimated bytes, and the service addresses that would move. Nothing is changed to produce it. Serialised, it is the migration's manifest.
/// </summary>
public sealed record MigrationPlan
{
    /// <summary>Creates a plan.</summary>
    /// <param name="workload">The workload.</param>
    /// <param name="source">The host it runs on.</param>
    /// <param name="destination">The host it would move to.</param>
    /// <param name="checkpointMode">How its running state would cross; <see langword="null"/> when the manifest could not be read.</param>
    /// <param name="checks">The checks, in the order they ran.</param>
    /// <param name="datasets">The datasets that would move.</param>
    /// <param name="serviceAddresses">
    /// The service addresses that would move, as the workload's manifest declares them; none when omitted or when the
    /// manifest could not be read.
    /// </param>
    /// <param name="memoryTransfer">How a live switch would move memory, and why; <see langword="null"/> for a restart or when CRIU could not be asked.</param>
    public MigrationPlan(
        WorkloadName workload, string source, string destination, CheckpointMode? checkpointMode,
        IEnumerable<PreflightCheck> checks, IEnumerable<DatasetEstimate> datasets, IEnumerable<ServiceAddress>? serviceAddresses = null,
        MemoryTransferChoice? memoryTransfer = null)
    {
        MemoryTransferChoice = memoryTransfer;
        Workload = workload ?? throw new ArgumentNullException(nameof(workload));
        Source = source ?? throw new ArgumentNullException(nameof(source));
        Destination = destination ?? throw new ArgumentNullException(nameof(destination));
        CheckpointMode = checkpointMode;
        Checks = (checks ?? throw new ArgumentNullException(nameof(checks))).ToArray();
        Datasets = (datasets ?? throw new ArgumentNullException(nameof(datasets))).ToArray();
        ServiceAddresses = serviceAddresses?.ToArray() ?? Array.Empty<ServiceAddress>();
    }

    /// <summary>The workload.</summary>
    public WorkloadName Workload { get; }

    /// <summary>The host it runs on.</summary>
    public string Source { get; }

    /// <summary>The host it would move to.</summary>
    public string Destination { get; }

    /// <summary>How its running state would cross; <see langword="null"/> when the manifest could not be read.</summary>
    public CheckpointMode? CheckpointMode { get; }

    /// <summary>The checks, in the order they ran.</summary>
    public IReadOnlyList<PreflightCheck> Checks { get; }

    /// <summary>The datasets that would move.</summary>
    public IReadOnlyList<DatasetEstimate> Datasets { get; }

    /// <summary>
    /// The service addresses that would move with the workload, as its manifest declares them: released on the source
    /// after the freeze and added on the destination before the restore. Empty when it has none or its manifest could
    /// not be read.
    /// </summary>
    public IReadOnlyList<ServiceAddress> ServiceAddresses { get; }

    /// <summary>How a live switch would move memory, and why; <see langword="null"/> for a restart or when CRIU could not be asked.</summary>
    public MemoryTransferChoice? MemoryTransferChoice { get; }

    /// <summary>The memory transfer a live switch would use; <see langword="null"/> for a restart or when CRIU could not be asked.</summary>
    public MemoryTransfer? MemoryTransfer => MemoryTransferChoice?.Method;

    /// <summary>Why that memory transfer; empty when there is none.</summary>
    public string MemoryTransferReason => MemoryTransferChoice?.Reason ?? "";

    /// <summary>Whether every check passed.</summary>
    public bool Passed => Checks.All(check => check.Passed);

    /// <summary>The bytes the first copy is expected to send, all datasets together.</summary>
    public long EstimatedBytes => Datasets.Sum(d => Math.Max(0, d.EstimatedBytes));

    /// <summary>The failed checks, one a line, as "Name: message".</summary>
    /// <returns>The text; empty when all passed.</returns>
    public string DescribeFailures() =>
        string.Join(Environment.NewLine, Checks.Where(c => !c.Passed).Select(c => $"{c.Name}: {c.Message}"));
}
