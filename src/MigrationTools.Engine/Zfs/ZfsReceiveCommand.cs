using System;
using System.Collections.Generic;
using MigrationTools.Engine.Remote;

namespace MigrationTools.Engine.Zfs;

/// <summary>Builds <c>zfs receive</c> commands from validated names and a <see cref="ZfsReplicationPlan"/>.</summary>
/// <remarks>
/// <c>-F</c> is added in two cases only: the caller forces it (<see cref="ZfsReceiveMode.ForceRollback"/>), or the
/// target is a read-only copy the engine owns on a host that mounts what it receives
/// (<see cref="ZfsReceiveMode.OwnedCopy"/>). Measured on zfs-fuse: an incremental replication stream into a copy
/// with a child dataset fails with "destination has been modified" even when nothing read the copy, because
/// mounting the child wrote its mountpoint into the parent; a copy without children receives without <c>-F</c>
/// when it is read-only, even after its files were read (reading a writable copy updates access times).
/// </remarks>
internal static class ZfsReceiveCommand
{
    /// <summary>
    /// The command that reads a stream from standard input into <paramref name="target"/>:
    /// <c>zfs receive [-s] [-u] [-F] target</c>.
    /// </summary>
    /// <param name="target">The dataset the stream's top dataset becomes (it must not exist for a full stream).</param>
    /// <param name="plan">Which optional flags the pair of hosts can use (<c>-s</c>, <c>-u</c>).</param>
    /// <param name="mode">Whether the target may be rolled back first (<c>-F</c>); see <see cref="ZfsReceiveMode"/>.</param>
    /// <returns>The command.</returns>
    public static RemoteCommand Create(DatasetName target, ZfsReplicationPlan plan, ZfsReceiveMode mode = ZfsReceiveMode.Normal)
    {
        if (target is null)
        {
            throw new ArgumentNullException(nameof(target));
        }

        if (plan is null)
        {
            throw new ArgumentNullException(nameof(plan));
        }

        var argv = new List<string> { "zfs", "receive" };
        if (plan.ReceiveResumable)
        {
            argv.Add("-s");
        }

        if (plan.ReceiveUnmounted)
        {
            argv.Add("-u");
        }

        if (mode == ZfsReceiveMode.ForceRollback || (mode == ZfsReceiveMode.OwnedCopy && plan.RollBackOwnedCopies))
        {
            argv.Add("-F");
        }

        argv.Add(target.Value);
        return RemoteCommand.Create(argv);
    }

    /// <summary>
    /// The command that discards an interrupted resumable receive's state on <paramref name="target"/>:
    /// <c>zfs receive -A target</c>. Only modern OpenZFS has it (<see cref="ZfsCapabilities.CanAbortResumableReceive"/>).
    /// </summary>
    /// <param name="target">The receive's target dataset.</param>
    /// <returns>The command.</returns>
    public static RemoteCommand Abort(DatasetName target) =>
        RemoteCommand.Create("zfs", "receive", "-A", (target ?? throw new ArgumentNullException(nameof(target))).Value);
}
