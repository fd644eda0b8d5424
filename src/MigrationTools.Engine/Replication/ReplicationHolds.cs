using System.Collections.Generic;
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
                    await DestroyAsync(host, snapshot.Name, request, cancellationToken).ConfigureAwait(false);
                }
            }
        }
    }

    /// <summary>
    /// Destroys one of the migration's snapshots once its own hold is released. A hold of anything else (another tool's,
    /// or one a failed <c>zfs send</c> left) keeps it for good: the error then says so, and how to release it, instead of
    /// zfs's "dataset is busy".
    /// </summary>
    private static async Task DestroyAsync(ZfsHost host, SnapshotName snapshot, ReplicationRequest request, CancellationToken cancellationToken)
    {
        try
        {
            await host.DestroySnapshotAsync(snapshot, request.IncludeChildren, cancellationToken).ConfigureAwait(false);
        }
        catch (ZfsCommandException e) when (e.Failure == ZfsFailure.Busy)
        {
            var listing = await host.ListAsync(snapshot.Dataset, request.IncludeChildren, cancellationToken).ConfigureAwait(false);
            var held = listing.Datasets
                .SelectMany(d => d.Snapshots)
                .Where(s => s.Name.ShortName == snapshot.ShortName && s.IsHeld)
                .ToList();
            if (held.Count == 0)
            {
                throw;
            }

            throw new ZfsCommandException(ForeignHoldsMessage(host.Connection.Destination.ToString(), held), e);
        }
    }

    /// <summary>What an operator reads when holds that are not the migration's keep its snapshots.</summary>
    internal static string ForeignHoldsMessage(string host, IReadOnlyList<ZfsSnapshot> held)
    {
        var first = held[0].Name.Value;
        return $"{string.Join(", ", held.Select(s => $"{s.Name.Value} ({s.UserRefs} hold(s))"))} on {host} " +
            $"{(held.Count == 1 ? "is" : "are")} held by something other than this migration, so the migration's snapshots cannot be destroyed. " +
            $"List the holds with 'zfs holds {first}' and release each with 'zfs release TAG {first}'. " +
            "zfs-fuse cannot list holds: there, a zfs send whose reader went away before it wrote leaves one (tag .send-PID-N) until the pool is exported and imported again.";
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
