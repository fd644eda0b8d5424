using System;
using System.Collections.Generic;
using System.Linq;
using MigrationTools.Engine.Remote;

namespace MigrationTools.Engine.Zfs;

/// <summary>
/// What a copy needs right after a receive, in one command on its host: its root made read-only (it must not
/// diverge) or, when the target's workload takes it over, writable; its mounted filesystems remounted where the host serves stale pages after a receive
/// (<see cref="ZfsReplicationPlan.RemountAfterReceive"/>), and the GUIDs of the snapshots just received.
/// </summary>
internal static class ZfsReceivedCopyCommand
{
    /// <summary>
    /// $1 the root, $2 its readonly value (on or off); the filesystems to remount children first, <c>--</c>, the same parents first, <c>--</c>; the snapshots.
    /// An unmount answered "busy" is retried as <see cref="ZfsHost"/> retries one (zfs-fuse says so for a moment after
    /// use); one that is not mounted any more is left to the mount.
    /// </summary>
    internal const string Script = """
        root=$1; readonly=$2; shift 2
        zfs set "readonly=$readonly" "$root" || exit 1
        while [ "$1" != -- ]; do
            for wait in 0.2 0.5 1 2 end; do
                err=$(zfs unmount "$1" 2>&1) && break
                case $err in *"not currently mounted"*) break ;; *"is busy"*) ;; *) wait=end ;; esac
                [ "$wait" != end ] || { printf '%s\n' "$err" >&2; exit 1; }
                sleep "$wait"
            done
            shift
        done
        shift
        while [ "$1" != -- ]; do
            err=$(zfs mount "$1" 2>&1) || case $err in *"already mounted"*) ;; *) printf '%s\n' "$err" >&2; exit 1 ;; esac
            shift
        done
        shift
        exec zfs get -H -p -o name,value guid "$@"
        """;

    /// <summary>The command for <paramref name="root"/>'s copy.</summary>
    /// <param name="root">The copy's root dataset, made read-only unless <paramref name="writable"/>.</param>
    /// <param name="writable">Leave the copy writable, for the workload that takes it over.</param>
    /// <param name="remount">The filesystems to remount, parents before children; empty for none.</param>
    /// <param name="snapshots">The received snapshots whose GUIDs the command prints (see <see cref="ZfsSnapshotGuids.Parse"/>).</param>
    public static RemoteCommand Create(DatasetName root, bool writable, IReadOnlyList<DatasetName> remount, IReadOnlyList<SnapshotName> snapshots)
    {
        if (root is null)
        {
            throw new ArgumentNullException(nameof(root));
        }

        if (snapshots is null || snapshots.Count == 0)
        {
            throw new ArgumentException("At least one snapshot's GUID must be read.", nameof(snapshots));
        }

        var argv = new List<string> { "sh", "-c", Script, "sh", root.Value, writable ? "off" : "on" };
        argv.AddRange(remount.Reverse().Select(d => d.Value));
        argv.Add("--");
        argv.AddRange(remount.Select(d => d.Value));
        argv.Add("--");
        argv.AddRange(snapshots.Select(s => s.Value));
        return RemoteCommand.Create(argv);
    }
}
