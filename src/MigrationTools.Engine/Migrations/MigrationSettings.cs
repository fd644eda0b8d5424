using System;
using System.Collections.Generic;
using System.Linq;
using MigrationTools.Engine.Criu;
using MigrationTools.Engine.Hooks;
using MigrationTools.Engine.Replication;
using MigrationTools.Engine.Transfer;
using MigrationTools.Engine.Workloads;

namespace MigrationTools.Engine.Migrations;

/// <summary>
/// How a migration moves its data and cuts over; chosen at begin and kept in the record, so that every later phase
/// (including one re-run after a crash, from another shell) moves data the same way.
/// </summary>
public sealed record MigrationSettings
{
    /// <summary>The longest grace period for stopping a workload, in seconds (<see cref="WorkloadStopTimeout.MaxSeconds"/>).</summary>
    public const int MaxStopTimeoutSeconds = WorkloadStopTimeout.MaxSeconds;

    private readonly CutoverHook[] _hooks = Array.Empty<CutoverHook>();
    private readonly int _stopTimeoutSeconds = WorkloadStopTimeout.DefaultSeconds;

    /// <summary>Relay through the controller (default) or direct from the source to the destination.</summary>
    public TransferPath Path { get; init; } = TransferPath.Relay;

    /// <summary>Wire compression of data streams.</summary>
    public StreamCompression Compression { get; init; } = StreamCompression.None;

    /// <summary>A cap on every stream's rate; <see langword="null"/> for none.</summary>
    public BandwidthLimit? BandwidthLimit { get; init; }

    /// <summary>
    /// End the frozen source tree before restoring on the destination, instead of keeping it frozen until complete.
    /// Needed when both hosts share a network namespace (the frozen tree keeps its listening sockets, so the restore
    /// cannot bind them). Undo then restores the source from its own checkpoint instead of resuming it.
    /// </summary>
    public bool ReleaseSourceBeforeRestore { get; init; }

    /// <summary>CRIU options the workload's checkpoint needs (established TCP connections, file locks, external resources).</summary>
    public CriuOptions Checkpoint { get; init; } = CriuOptions.Default;

    /// <summary>
    /// How a live switch moves memory: <see cref="MemoryTransfer.Auto"/> picks the best method both hosts support at the
    /// switch; any other value insists on that method and fails the preflight where the hosts cannot do it.
    /// </summary>
    public MemoryTransfer MemoryTransfer { get; init; } = MemoryTransfer.Auto;

    /// <summary>How long a workload gets to end after SIGTERM before SIGKILL, in seconds (restart mode, undo).</summary>
    public int StopTimeoutSeconds
    {
        get => _stopTimeoutSeconds;
        init => _stopTimeoutSeconds = WorkloadStopTimeout.IsValid(value)
            ? value
            : throw new ArgumentOutOfRangeException(nameof(StopTimeoutSeconds), value, WorkloadStopTimeout.Fault(value));
    }

    /// <summary>Commands run before the freeze and after the commit.</summary>
    public IReadOnlyList<CutoverHook> Hooks
    {
        get => _hooks;
        init => _hooks = (value ?? throw new ArgumentNullException(nameof(Hooks))).ToArray();
    }

    /// <inheritdoc/>
    public bool Equals(MigrationSettings? other) =>
        other is not null && Path == other.Path && Compression == other.Compression && Equals(BandwidthLimit, other.BandwidthLimit) &&
        ReleaseSourceBeforeRestore == other.ReleaseSourceBeforeRestore && Checkpoint.Equals(other.Checkpoint) && MemoryTransfer == other.MemoryTransfer && StopTimeoutSeconds == other.StopTimeoutSeconds &&
        _hooks.SequenceEqual(other._hooks);

    /// <inheritdoc/>
    public override int GetHashCode() => ((int)Path * 31 + (int)Compression) * 31 + _hooks.Length;
}
