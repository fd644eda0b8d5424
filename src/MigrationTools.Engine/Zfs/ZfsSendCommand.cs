using System;
using System.Collections.Generic;
using System.Linq;
using MigrationTools.Engine.Remote;

namespace MigrationTools.Engine.Zfs;

/// <summary>Builds <c>zfs send</c> commands from validated names and a <see cref="ZfsReplicationPlan"/>.</summary>
internal static class ZfsSendCommand
{
    /// <summary>
    /// The command that writes the stream for <paramref name="request"/> to standard output:
    /// <c>zfs send -R|-p [-L] [-e] [-c] [-I|-i from] snapshot</c>. Properties always travel with the data:
    /// <c>-R</c> carries them for the whole tree, <c>-p</c> for a single dataset.
    /// </summary>
    /// <param name="request">What to send.</param>
    /// <param name="plan">Which optional flags the pair of hosts can use.</param>
    /// <returns>The command.</returns>
    public static RemoteCommand Create(ZfsSendRequest request, ZfsReplicationPlan plan) =>
        RemoteCommand.Create(Guarded(Arguments(request, plan, estimate: false), plan));

    /// <summary>
    /// Runs its arguments as a send that ending the command never kills: the send ignores TERM and writes through a
    /// <c>cat</c> that does not, so the watchdog's TERM (see <see cref="RemoteWrapper"/>) ends the <c>cat</c> and the send
    /// fails on the broken pipe as if its reader had gone, releasing what it holds. The send ignores PIPE too: legacy
    /// zfs writes a <c>-p</c> stream's header and end itself, and a SIGPIPE there would kill it holding its snapshot
    /// until the pool is imported again. The send's exit status is the script's. The watchdog's KILL, 5 s later, still
    /// ends a send that will not stop. It wraps the whole send command (with its snapshot, if any), so a login without
    /// root elevates what it runs (<see cref="HostElevation"/>); sudo then relays the TERM to the send and keeps the
    /// ignored PIPE, and the guard keeps only the exit status and the stream.
    /// </summary>
    internal const string HoldGuardScript =
        "exec 4>&1; s=$( { { (trap '' PIPE TERM; exec \"$@\"); echo $? >&3; } | cat >&4; } 3>&1 ); exit ${s:-1}";

    /// <summary>The script of <see cref="SnapshotThenSend"/>: $1 is -r or empty, $2 the snapshot; the rest is the send's argument list, run as it is.</summary>
    internal const string SnapshotThenSendScript = "r=$1 s=$2; shift 2; if [ -n \"$r\" ]; then zfs snapshot -r \"$s\"; else zfs snapshot \"$s\"; fi && exec \"$@\"";

    /// <summary>
    /// Takes <paramref name="snapshot"/> and, once it exists, sends <paramref name="request"/> from the same command:
    /// <c>sh -c 'zfs snapshot [-r] snapshot &amp;&amp; exec zfs send …'</c>. One round trip instead of two, for a round
    /// whose every other question was answered beforehand (a switch's final delta, with the workload frozen).
    /// </summary>
    /// <param name="snapshot">The snapshot to take; the stream's newest snapshot.</param>
    /// <param name="recursive">Take it on every descendant too, atomically (<c>-r</c>).</param>
    /// <param name="request">What to send; its <see cref="ZfsSendRequest.Snapshot"/> is <paramref name="snapshot"/> or a descendant's of that name.</param>
    /// <param name="plan">Which optional flags the pair of hosts can use.</param>
    /// <returns>The command. When the snapshot cannot be taken, it sends nothing and fails with zfs's message.</returns>
    /// <exception cref="ArgumentException">The request sends a snapshot of another name.</exception>
    internal static RemoteCommand SnapshotThenSend(SnapshotName snapshot, bool recursive, ZfsSendRequest request, ZfsReplicationPlan plan)
    {
        if (snapshot is null)
        {
            throw new ArgumentNullException(nameof(snapshot));
        }

        if (request is null)
        {
            throw new ArgumentNullException(nameof(request));
        }

        if (request.Snapshot.ShortName != snapshot.ShortName)
        {
            throw new ArgumentException($"The stream sends {request.Snapshot}, not the snapshot {snapshot} taken for it.", nameof(request));
        }

        var argv = new List<string> { "sh", "-c", SnapshotThenSendScript, "sh", recursive ? "-r" : "", snapshot.Value };
        argv.AddRange(Arguments(request, plan, estimate: false));
        return RemoteCommand.Create(Guarded(argv, plan));
    }

    private static IEnumerable<string> Guarded(List<string> send, ZfsReplicationPlan plan) =>
        plan.GuardSendHolds ? new[] { "sh", "-c", HoldGuardScript, "sh" }.Concat(send) : send;

    /// <summary>
    /// The dry run that prints the stream's size without sending it: the same flags as <see cref="Create"/>
    /// with <c>-n -P</c>. Parse its output with <see cref="ZfsSendSizeEstimate.ParseDryRun"/>.
    /// </summary>
    /// <param name="request">What would be sent.</param>
    /// <param name="plan">The plan; it must allow estimates (<see cref="ZfsReplicationPlan.CanEstimateSize"/>).</param>
    /// <returns>The command.</returns>
    /// <exception cref="InvalidOperationException">The source cannot estimate (legacy zfs has no <c>send -n</c>).</exception>
    public static RemoteCommand Estimate(ZfsSendRequest request, ZfsReplicationPlan plan)
    {
        if (plan is null)
        {
            throw new ArgumentNullException(nameof(plan));
        }

        if (!plan.CanEstimateSize)
        {
            throw new InvalidOperationException(
                "The source's zfs cannot estimate a stream's size (no 'zfs send -n -P'); use ZfsSendSizeEstimate.FromSpaceUsage instead.");
        }

        return RemoteCommand.Create(Arguments(request, plan, estimate: true));
    }

    /// <summary>
    /// The command that continues an interrupted stream from the target's resume token: <c>zfs send -t token</c>.
    /// The token records the original stream's flags, so no others are given.
    /// </summary>
    /// <param name="token">The target's <c>receive_resume_token</c>.</param>
    /// <param name="plan">The plan; it must use resumable receives (<see cref="ZfsReplicationPlan.ReceiveResumable"/>).</param>
    /// <returns>The command.</returns>
    /// <exception cref="InvalidOperationException">The pair of hosts cannot resume streams.</exception>
    public static RemoteCommand Resume(ZfsResumeToken token, ZfsReplicationPlan plan)
    {
        if (token is null)
        {
            throw new ArgumentNullException(nameof(token));
        }

        if (plan is null)
        {
            throw new ArgumentNullException(nameof(plan));
        }

        if (!plan.ReceiveResumable)
        {
            throw new InvalidOperationException(
                "These hosts cannot resume a stream (it needs 'zfs send -t' on the source and 'zfs receive -s' on the target); send it again instead.");
        }

        return RemoteCommand.Create(Guarded(new List<string> { "zfs", "send", "-t", token.Value }, plan));
    }

    private static List<string> Arguments(ZfsSendRequest request, ZfsReplicationPlan plan, bool estimate)
    {
        if (request is null)
        {
            throw new ArgumentNullException(nameof(request));
        }

        if (plan is null)
        {
            throw new ArgumentNullException(nameof(plan));
        }

        var argv = new List<string> { "zfs", "send" };
        if (estimate)
        {
            argv.Add("-n");
            argv.Add("-P");
        }

        if (request.IncludeChildren || request.SendsProperties)
        {
            argv.Add(request.IncludeChildren ? "-R" : "-p");
        }

        if (plan.SendLargeBlocks)
        {
            argv.Add("-L");
        }

        if (plan.SendEmbedded)
        {
            argv.Add("-e");
        }

        if (plan.SendCompressed)
        {
            argv.Add("-c");
        }

        if (request.From is { } from)
        {
            // -I carries the snapshots in between too; one dataset at a time, -i avoids legacy zfs's send holds.
            argv.Add(plan.SendOneDatasetAtATime && !request.IncludeChildren ? "-i" : "-I");
            argv.Add(from.Value);
        }

        argv.Add(request.Snapshot.Value);
        return argv;
    }
}
