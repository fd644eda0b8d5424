using MigrationTools.Engine.Remote;
using MigrationTools.Engine.Replication;
using MigrationTools.Engine.Transfer;
using MigrationTools.Engine.Zfs;

namespace MigrationTools.Engine.Migrations;

/// <summary>How a migration's settings become the replication request of one dataset.</summary>
internal static class ReplicationRequests
{
    /// <summary>The request that replicates <paramref name="dataset"/> of <paramref name="record"/>.</summary>
    public static ReplicationRequest For(MigrationRecord record, DatasetProgress dataset) =>
        For(record.Settings, dataset.Source, dataset.Target, record.Id.Value, record.Destination);

    /// <summary>The request that replicates <paramref name="source"/> to <paramref name="target"/> on <paramref name="destination"/>.</summary>
    public static ReplicationRequest For(
        MigrationSettings settings, DatasetName source, DatasetName target, string migrationId, string destination) =>
        new(source, target, migrationId)
        {
            Path = settings.Path,
            DirectPeer = settings.Path == TransferPath.Direct ? SshDestination.Parse(destination) : null,
            Compression = settings.Compression,
            BandwidthLimit = settings.BandwidthLimit,
        };
}
