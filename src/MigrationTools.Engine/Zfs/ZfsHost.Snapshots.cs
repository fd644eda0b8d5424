using System;
using System.Threading;
using System.Threading.Tasks;
using MigrationTools.Engine.Remote;

namespace MigrationTools.Engine.Zfs;

// ZfsHost: snapshots, their holds, rollbacks, and destroying what the engine made.
public sealed partial class ZfsHost
{
    /// <summary>Takes a snapshot.</summary>
    /// <param name="snapshot">The snapshot to take.</param>
    /// <param name="recursive">Also take the snapshot of that name of every descendant, atomically (<c>-r</c>).</param>
    /// <param name="cancellationToken">Stops the command.</param>
    /// <returns>A task that completes when the snapshot exists.</returns>
    /// <exception cref="ZfsCommandException">It failed; <see cref="ZfsFailure.AlreadyExists"/> when the name is taken.</exception>
    public Task CreateSnapshotAsync(SnapshotName snapshot, bool recursive = false, CancellationToken cancellationToken = default) =>
        RunAsync(Zfs("snapshot", recursive ? "-r" : null, (snapshot ?? throw new ArgumentNullException(nameof(snapshot))).Value), cancellationToken);

    /// <summary>Destroys a snapshot.</summary>
    /// <param name="snapshot">The snapshot.</param>
    /// <param name="recursive">Also destroy the snapshots of that name of every descendant (<c>-r</c>).</param>
    /// <param name="cancellationToken">Stops the command.</param>
    /// <returns>True when destroyed; false when it did not exist.</returns>
    /// <exception cref="ZfsCommandException">It failed; <see cref="ZfsFailure.Busy"/> while a hold keeps it.</exception>
    public async Task<bool> DestroySnapshotAsync(SnapshotName snapshot, bool recursive = false, CancellationToken cancellationToken = default)
    {
        if (snapshot is null)
        {
            throw new ArgumentNullException(nameof(snapshot));
        }

        var result = await Connection.ExecuteAsync(Zfs("destroy", recursive ? "-r" : null, snapshot.Value), cancellationToken).ConfigureAwait(false);
        return Changed(result, ZfsFailure.DoesNotExist);
    }

    /// <summary>
    /// Rolls a dataset back to <paramref name="snapshot"/>, its newest snapshot, discarding what was written since;
    /// refused by ZFS when newer snapshots exist (they are never destroyed here).
    /// </summary>
    /// <param name="snapshot">The snapshot to return to.</param>
    /// <param name="cancellationToken">Stops the command.</param>
    /// <returns>A task that completes when the dataset is back at the snapshot.</returns>
    /// <exception cref="ZfsCommandException">It failed.</exception>
    internal Task RollbackAsync(SnapshotName snapshot, CancellationToken cancellationToken = default) =>
        RunAsync(Zfs("rollback", null, (snapshot ?? throw new ArgumentNullException(nameof(snapshot))).Value), cancellationToken);

    /// <summary>
    /// Places a hold with <paramref name="tag"/> on a snapshot, so it cannot be destroyed until released.
    /// Repeating it is harmless.
    /// </summary>
    /// <param name="snapshot">The snapshot.</param>
    /// <param name="tag">The hold's tag.</param>
    /// <param name="recursive">Also hold the snapshots of that name of every descendant.</param>
    /// <param name="cancellationToken">Stops the commands.</param>
    /// <returns>True when a hold was placed; false when every snapshot already carried the tag.</returns>
    public async Task<bool> HoldAsync(SnapshotName snapshot, ZfsHoldTag tag, bool recursive = false, CancellationToken cancellationToken = default) =>
        await HoldOrReleaseAsync("hold", ZfsFailure.TagAlreadyExists, snapshot, tag, recursive, cancellationToken).ConfigureAwait(false);

    /// <summary>Releases the hold with <paramref name="tag"/>. Repeating it is harmless.</summary>
    /// <param name="snapshot">The snapshot.</param>
    /// <param name="tag">The hold's tag.</param>
    /// <param name="recursive">Also release it on the snapshots of that name of every descendant.</param>
    /// <param name="cancellationToken">Stops the commands.</param>
    /// <returns>True when a hold was released; false when no snapshot carried the tag.</returns>
    public async Task<bool> ReleaseAsync(SnapshotName snapshot, ZfsHoldTag tag, bool recursive = false, CancellationToken cancellationToken = default) =>
        await HoldOrReleaseAsync("release", ZfsFailure.NoSuchTag, snapshot, tag, recursive, cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// Destroys a dataset with its snapshots and descendants (<c>zfs destroy -r</c>), retrying briefly while it
    /// is busy. A held snapshot keeps it busy for good: release the hold first.
    /// </summary>
    /// <param name="dataset">The dataset; never a pool's root dataset.</param>
    /// <param name="cancellationToken">Stops the commands.</param>
    /// <returns>True when destroyed; false when it did not exist.</returns>
    /// <exception cref="ArgumentException"><paramref name="dataset"/> is a pool's root dataset.</exception>
    public async Task<bool> DestroyRecursiveAsync(DatasetName dataset, CancellationToken cancellationToken = default)
    {
        if (dataset is null)
        {
            throw new ArgumentNullException(nameof(dataset));
        }

        if (dataset.IsRoot)
        {
            throw new ArgumentException($"Refusing to destroy {dataset.Value}: it is a pool's root dataset.", nameof(dataset));
        }

        var result = await ExecuteRetryingBusyAsync(RemoteCommand.Create("zfs", "destroy", "-r", dataset.Value), cancellationToken).ConfigureAwait(false);
        return Changed(result, ZfsFailure.DoesNotExist);
    }

    // Holds and releases are atomic over a recursive set: one snapshot already in the wanted state fails
    // them all. Then each snapshot is handled alone, so a repeated or half-done call still converges.
    private async Task<bool> HoldOrReleaseAsync(
        string verb, ZfsFailure alreadyDone, SnapshotName snapshot, ZfsHoldTag tag, bool recursive, CancellationToken cancellationToken)
    {
        if (snapshot is null)
        {
            throw new ArgumentNullException(nameof(snapshot));
        }

        if (tag is null)
        {
            throw new ArgumentNullException(nameof(tag));
        }

        var result = await Connection.ExecuteAsync(Zfs(verb, recursive ? "-r" : null, tag.Value, snapshot.Value), cancellationToken).ConfigureAwait(false);
        if (Changed(result, alreadyDone) || !recursive)
        {
            return result.Succeeded;
        }

        var listing = await ListAsync(snapshot.Dataset, recursive: true, cancellationToken).ConfigureAwait(false);
        var changed = false;
        foreach (var dataset in listing.Datasets)
        {
            if (dataset.FindSnapshot(snapshot.ShortName) is { } one)
            {
                var single = await Connection.ExecuteAsync(Zfs(verb, null, tag.Value, one.Name.Value), cancellationToken).ConfigureAwait(false);
                changed |= Changed(single, alreadyDone);
            }
        }

        return changed;
    }
}
