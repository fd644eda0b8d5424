using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using MigrationTools.Engine.Zfs;

namespace MigrationTools.Engine.Replication;

/// <summary>
/// The migration's holds on both hosts: moved to each round's snapshot so that nothing prunes the snapshot the next
/// round starts from, and released (with the snapshots, when asked) once the migration is over.
/// </summary>
internal static class ReplicationHolds
{
    /// <inheritdoc cref="ZfsReplicator.HoldRoundAsync"/>
    public static Task HoldRoundAsync(ZfsHost source, ZfsHost target, ReplicationRound round, CancellationToken cancellationToken)
    {
        var common = round.Streams[0].Common;
        return Task.WhenAll(
            MoveHoldAsync(source, round.Snapshot, common.Source?.Name, round.Request, cancellationToken),
            MoveHoldAsync(target, round.Request.Target.Snapshot(round.Snapshot.ShortName), common.Target?.Name, round.Request, cancellationToken));
    }

    /// <inheritdoc cref="ZfsReplicator.ReleaseAsync"/>
    public static async Task ReleaseAsync(ZfsHost source, ZfsHost target, ReplicationRequest request, bool destroySnapshots, CancellationToken cancellationToken)
    {
        foreach (var (host, dataset) in new[] { (source, request.Source), (target, request.Target) })
        {
            var root = await ZfsReplicator.ListRootAsync(host, dataset, recursive: false, cancellationToken).ConfigureAwait(false);
            if (root is null)
            {
                continue;
            }

            foreach (var snapshot in root.Snapshots.Where(s => MigrationSnapshotNames.IsOurs(s.Name, request.MigrationId)))
            {
                await host.ReleaseAsync(snapshot.Name, request.HoldTag, request.IncludeChildren, cancellationToken).ConfigureAwait(false);
                if (destroySnapshots)
                {
                    await host.DestroySnapshotAsync(snapshot.Name, request.IncludeChildren, cancellationToken).ConfigureAwait(false);
                }
            }
        }
    }

    /// <summary>Holds the new snapshot on one host, then lets that host's previous common snapshot go.</summary>
    private static async Task MoveHoldAsync(
        ZfsHost host, SnapshotName snapshot, SnapshotName? previous, ReplicationRequest request, CancellationToken cancellationToken)
    {
        await host.HoldAsync(snapshot, request.HoldTag, request.IncludeChildren, cancellationToken).ConfigureAwait(false);
        if (previous is not null)
        {
            await host.ReleaseAsync(previous, request.HoldTag, request.IncludeChildren, cancellationToken).ConfigureAwait(false);
        }
    }
}
