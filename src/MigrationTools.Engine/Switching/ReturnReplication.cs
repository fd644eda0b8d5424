using MigrationTools.Engine.Criu;
using MigrationTools.Engine.Migrations;
using MigrationTools.Engine.Placement;
using MigrationTools.Engine.Replication;

namespace MigrationTools.Engine.Switching;

/// <summary>
/// The replication of an undo that keeps the destination's changes: each dataset's copy on the destination is sent
/// back into the source's dataset, incrementally from the switch's final snapshot, which both hosts hold.
/// </summary>
internal static class ReturnReplication
{
    /// <summary>
    /// The request that sends <paramref name="dataset"/>'s copy back: from its target on the destination into its
    /// source on the source host, with the migration's snapshot names, holds and transfer settings. The source's dataset
    /// stays read-only after the round: it becomes writable only when the workload is about to run there.
    /// </summary>
    public static ReplicationRequest For(MigrationRecord record, DatasetProgress dataset) =>
        ReplicationRequests.For(record.Settings, dataset.Target, dataset.Source, record.Id.Value, record.Source);

    /// <summary>Replicates from the destination's datasets to the source's.</summary>
    public static ZfsReplicator Replicator(MigrationHosts hosts) => new(hosts.Destination.Zfs, hosts.Source.Zfs);

    /// <summary>
    /// Where the undo keeps the destination's checkpoint, on both hosts: beside the switch's, never the same directory,
    /// so that the switch's images and the undo's are never mistaken for each other after a crash.
    /// </summary>
    public static CriuImageDirectory ImagesOf(MigrationRecord record) => CriuImageDirectory.Parse(CheckpointImages.Of(record).Path + "-return");
}
