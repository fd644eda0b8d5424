using System.Collections.Generic;
using MigrationTools.Engine.Zfs;

namespace MigrationTools.Engine.Replication;

/// <summary>
/// A replication round planned ahead (<see cref="ZfsReplicator.PlanRoundAsync"/>): both trees listed, the newest common
/// snapshot found, the streams and the new snapshot's name chosen. Sending it (<see cref="ZfsReplicator.SendRoundAsync"/>)
/// then asks neither host anything more: the snapshot and the stream, then one check per host. Plan it while the workload
/// still runs and send it once it is frozen, and the frozen window holds only what must be in it.
/// </summary>
/// <remarks>The plan holds while nobody else snapshots, receives into or destroys the two trees, as during a switch.</remarks>
internal sealed class ReplicationRound
{
    internal ReplicationRound(
        ReplicationRequest request,
        ZfsReplicationPlan plan,
        StreamCompression compression,
        IReadOnlyList<ReplicationStream> streams,
        SnapshotName snapshot,
        IReadOnlyList<DatasetName> sentDatasets,
        IReadOnlyList<DatasetName> mountedCopies)
    {
        Request = request;
        Plan = plan;
        Compression = compression;
        Streams = streams;
        Snapshot = snapshot;
        SentDatasets = sentDatasets;
        MountedCopies = mountedCopies;
    }

    /// <summary>The replication.</summary>
    public ReplicationRequest Request { get; }

    /// <summary>The snapshot the round takes on the source and sends.</summary>
    public SnapshotName Snapshot { get; }

    /// <summary>The common snapshot the round sends from on the source; <see langword="null"/> for a full copy.</summary>
    public SnapshotName? From => Streams[0].IsIncremental ? Streams[0].Common.Source!.Name : null;

    /// <summary>The streams, parent first.</summary>
    internal IReadOnlyList<ReplicationStream> Streams { get; }

    internal ZfsReplicationPlan Plan { get; }

    internal StreamCompression Compression { get; }

    /// <summary>Every source dataset the round's snapshot is taken on and sent from.</summary>
    internal IReadOnlyList<DatasetName> SentDatasets { get; }

    /// <summary>The copy's filesystems that were mounted when planned, parents first: remounted after the receive where the target needs it.</summary>
    internal IReadOnlyList<DatasetName> MountedCopies { get; }

    /// <summary>Where <paramref name="source"/>, inside the replicated tree, lands on the target.</summary>
    internal DatasetName TargetOf(DatasetName source) => ReplicationStream.TargetOf(Request, source);
}
