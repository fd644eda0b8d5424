using System;
using MigrationTools.Engine.Remote;
using MigrationTools.Engine.Transfer;
using MigrationTools.Engine.Zfs;

namespace MigrationTools.Engine.Replication;

/// <summary>What to replicate, where to, and how.</summary>
public sealed record ReplicationRequest
{
    /// <summary>Creates a request to copy <paramref name="source"/> to <paramref name="target"/> for one migration.</summary>
    /// <param name="source">The dataset on the source host.</param>
    /// <param name="target">The dataset it becomes on the target host; it must not exist, or share a snapshot with the source.</param>
    /// <param name="migrationId">Names the migration's snapshots (<c>@mt-&lt;id&gt;-&lt;n&gt;</c>) and holds.</param>
    /// <exception cref="ArgumentException">The migration id does not follow <see cref="MigrationSnapshotNames"/>' rules.</exception>
    public ReplicationRequest(DatasetName source, DatasetName target, string migrationId)
    {
        Source = source ?? throw new ArgumentNullException(nameof(source));
        Target = target ?? throw new ArgumentNullException(nameof(target));
        if (MigrationSnapshotNames.MigrationIdError(migrationId) is { } error)
        {
            throw new ArgumentException(error, nameof(migrationId));
        }

        MigrationId = migrationId;
    }

    /// <summary>The dataset on the source host.</summary>
    public DatasetName Source { get; }

    /// <summary>The dataset on the target host.</summary>
    public DatasetName Target { get; }

    /// <summary>The migration the snapshots and holds belong to.</summary>
    public string MigrationId { get; }

    /// <summary>Also replicate every descendant dataset (a replication stream, <c>-R</c>). On by default.</summary>
    public bool IncludeChildren { get; init; } = true;

    /// <summary>Relay through the controller (default) or direct from source to target.</summary>
    public TransferPath Path { get; init; } = TransferPath.Relay;

    /// <summary>
    /// For <see cref="TransferPath.Direct"/>: the target as the source host reaches it with its own ssh
    /// configuration. When not given, the controller's name for the target is used.
    /// </summary>
    public SshDestination? DirectPeer { get; init; }

    /// <summary>Wire compression; none by default.</summary>
    public StreamCompression Compression { get; init; } = StreamCompression.None;

    /// <summary>The most bytes per second, or <see langword="null"/> for no limit.</summary>
    public BandwidthLimit? BandwidthLimit { get; init; }

    /// <summary>
    /// Destructive: a target dataset that exists without a common snapshot is destroyed and sent again in full,
    /// and one that has diverged is rolled back to the newest common snapshot, losing what changed there.
    /// </summary>
    public bool Force { get; init; }

    /// <summary>
    /// Leave the copy writable after the round instead of read-only: for the last round of a switch, whose copy the
    /// workload about to run on the target writes to. Every other copy is read-only, so that it cannot diverge.
    /// </summary>
    public bool LeaveCopyWritable { get; init; }

    /// <summary>The hold tag on the migration's snapshots.</summary>
    public ZfsHoldTag HoldTag => ZfsHoldTag.Parse(MigrationSnapshotNames.Prefix + MigrationId);
}
