using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using MigrationTools.Engine.Preflight;
using MigrationTools.Engine.Remote;
using MigrationTools.Engine.Transfer;
using MigrationTools.Engine.Zfs;

namespace MigrationTools.Engine.Replication;

/// <summary>
/// Keeps a copy of a dataset tree on a target host in step with its source, one round at a time: the first
/// round sends it whole, later rounds send only what changed since the newest snapshot both sides share
/// (found by GUID). Each round takes a migration snapshot, holds it on both sides so nothing prunes it,
/// and releases the previous one. The copy is kept read-only so it cannot diverge, unless the request hands it over
/// (<see cref="ReplicationRequest.LeaveCopyWritable"/>).
/// </summary>
/// <remarks>
/// A round interrupted mid-stream leaves the target as it was (legacy ZFS) or with a resume token (modern
/// ZFS); the next round continues from the token or from the newest common snapshot. A target that has
/// diverged or holds unrelated data is refused, never destroyed or rolled back, unless the request forces it.
/// </remarks>
public sealed class ZfsReplicator
{
    private static readonly TimeSpan ReceiveEndTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan ReceivePollInterval = TimeSpan.FromMilliseconds(200);

    private readonly Dictionary<(ZfsHost, string), bool> _tools = new();

    /// <summary>Creates a replicator between two hosts.</summary>
    /// <param name="source">The host the data comes from.</param>
    /// <param name="target">The host the copy lives on.</param>
    public ZfsReplicator(ZfsHost source, ZfsHost target)
    {
        Source = source ?? throw new ArgumentNullException(nameof(source));
        Target = target ?? throw new ArgumentNullException(nameof(target));
    }

    /// <summary>The host the data comes from.</summary>
    public ZfsHost Source { get; }

    /// <summary>The host the copy lives on.</summary>
    public ZfsHost Target { get; }

    /// <summary>Checks, without changing anything, whether <paramref name="request"/> can run.</summary>
    /// <param name="request">The replication.</param>
    /// <param name="cancellationToken">Stops the checks.</param>
    /// <returns>The report; <see cref="PreflightReport.Passed"/> when nothing is in the way.</returns>
    public Task<PreflightReport> PreflightAsync(ReplicationRequest request, CancellationToken cancellationToken = default) =>
        ReplicationPreflight.RunAsync(this, request, cancellationToken);

    /// <summary>
    /// Runs one round: snapshot the source, send it (whole or incrementally) to the target, verify, hold.
    /// Repeat it to keep the copy in step; each round sends only what changed since the previous one.
    /// </summary>
    /// <param name="request">The replication.</param>
    /// <param name="progress">Receives the stream's progress; may be <see langword="null"/>.</param>
    /// <param name="cancellationToken">Stops the round, ending every command it started on both hosts.</param>
    /// <returns>What was sent.</returns>
    /// <exception cref="ReplicationRefusedException">The target has diverged or holds unrelated data, or an option is unavailable; nothing was changed.</exception>
    /// <exception cref="TransferFailedException">The stream did not arrive; the next round continues from where the target is.</exception>
    /// <exception cref="RemoteException">A host could not be reached or a command failed.</exception>
    public async Task<ReplicationResult> ReplicateAsync(
        ReplicationRequest request, IProgress<TransferProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var round = await PlanRoundAsync(request, cancellationToken).ConfigureAwait(false);
        var result = await SendRoundAsync(round, progress, cancellationToken).ConfigureAwait(false);
        await HoldRoundAsync(round, cancellationToken).ConfigureAwait(false);
        return result;
    }

    /// <summary>
    /// Plans the next round without sending it: finishes a stream an earlier round left half-received, lists both
    /// trees, finds the newest common snapshot, chooses the streams and the new snapshot's name. Changes nothing else,
    /// unless the request forces a diverged target back into step.
    /// </summary>
    /// <param name="request">The replication.</param>
    /// <param name="cancellationToken">Stops the planning.</param>
    /// <returns>The round, for <see cref="SendRoundAsync"/>.</returns>
    /// <exception cref="ReplicationRefusedException">The target has diverged or holds unrelated data, or an option is unavailable; nothing was changed.</exception>
    /// <exception cref="RemoteException">A host could not be reached or a command failed.</exception>
    public async Task<ReplicationRound> PlanRoundAsync(ReplicationRequest request, CancellationToken cancellationToken = default)
    {
        if (request is null)
        {
            throw new ArgumentNullException(nameof(request));
        }

        var plan = await Source.PlanTransferToAsync(Target, cancellationToken).ConfigureAwait(false);
        var compression = await ResolveCompressionAsync(request.Compression, cancellationToken).ConfigureAwait(false);

        if (plan.ReceiveResumable)
        {
            await ResumeInterruptedAsync(request, plan, compression, cancellationToken).ConfigureAwait(false);
        }

        // The two hosts answer independently: every step below that asks both asks them at once.
        var listingSource = Source.ListAsync(request.Source, request.IncludeChildren, cancellationToken);
        var listingTarget = Target.ListAsync(request.Target, recursive: true, cancellationToken);
        var sourceTree = await listingSource.ConfigureAwait(false);
        var targetTree = await listingTarget.ConfigureAwait(false);
        var sourceRoot = sourceTree.Find(request.Source)
            ?? throw new ReplicationRefusedException(
                $"The source dataset {request.Source} does not exist on {Source.Connection.Destination}; check the name with 'zfs list'.");
        var (planned, targetNow) = await PlanStreamsAsync(request, plan, sourceTree, targetTree, cancellationToken).ConfigureAwait(false);
        var streams = await LeaveOutUnchangedPropertiesAsync(planned, cancellationToken).ConfigureAwait(false);

        var snapshot = MigrationSnapshotNames.Format(
            request.Source, request.MigrationId, MigrationSnapshotNames.NextSequence(sourceRoot.Snapshots, request.MigrationId));
        var sent = sourceTree.Datasets
            .Where(d => streams.Any(s => s.Source == d.Name || (s.IncludeChildren && d.Name.IsSelfOrDescendantOf(s.Source))))
            .Select(d => d.Name)
            .ToList();
        // A copy received whole is mounted fresh; one received into incrementally may serve stale pages until remounted.
        var mounted = sent
            .Select(d => targetNow.Find(ReplicationStream.TargetOf(request, d)))
            .Where(d => d is { Type: ZfsDatasetType.Filesystem, Mounted: true })
            .Select(d => d!.Name)
            .ToList();
        return new ReplicationRound(request, plan, compression, streams, snapshot, sent, mounted);
    }

    /// <summary>
    /// Sends a planned round: the snapshot, the streams, then one check per host (the target's copy read-only or handed
    /// over writable, remounted
    /// where the host needs it, and its new snapshots' GUIDs the source's). Holds stay on the previous snapshot until
    /// <see cref="HoldRoundAsync"/>, which can wait until the time-critical work is done.
    /// </summary>
    /// <param name="round">The round, from <see cref="PlanRoundAsync"/>; send it once.</param>
    /// <param name="progress">
    /// Receives the stream's progress; may be <see langword="null"/>. When given, and the stream's size can be known
    /// beforehand, the snapshot is taken and the stream sized before it is sent; otherwise the snapshot and the send
    /// are one command.
    /// </param>
    /// <param name="cancellationToken">Stops the round, ending every command it started on both hosts.</param>
    /// <returns>What was sent.</returns>
    /// <exception cref="TransferFailedException">The stream did not arrive, or the copy's GUIDs are not the source's.</exception>
    /// <exception cref="RemoteException">A host could not be reached or a command failed.</exception>
    public async Task<ReplicationResult> SendRoundAsync(
        ReplicationRound round, IProgress<TransferProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        if (round is null)
        {
            throw new ArgumentNullException(nameof(round));
        }

        var (request, plan, streams, snapshot) = (round.Request, round.Plan, round.Streams, round.Snapshot);
        var sizeFirst = progress is not null && (plan.CanEstimateSize || streams.Any(s => !s.IsIncremental));
        var estimate = ZfsSendSizeEstimate.Unknown;
        if (sizeFirst)
        {
            await Source.CreateSnapshotAsync(snapshot, request.IncludeChildren, cancellationToken).ConfigureAwait(false);
            estimate = await EstimateAsync(streams, snapshot, plan, request, cancellationToken).ConfigureAwait(false);
        }

        var meter = new ProgressMeter(progress, estimate.Bytes, estimate.Basis != ZfsSendSizeBasis.DryRun);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        for (var i = 0; i < streams.Count; i++)
        {
            var send = streams[i].Request(snapshot.ShortName);
            var command = i == 0 && !sizeFirst
                ? ZfsSendCommand.SnapshotThenSend(snapshot, request.IncludeChildren, send, plan)
                : ZfsSendCommand.Create(send, plan);
            // Each stream counts on from where the previous one ended; only the round's end completes the meter.
            var streamMeter = new ProgressMeter(new OffsetProgress(meter, meter.Bytes));
            await TransferAsync(
                request, command, ZfsReceiveCommand.Create(streams[i].Target, plan, streams[i].Mode), round.Compression, streamMeter, cancellationToken)
                .ConfigureAwait(false);
        }

        var final = meter.Complete();
        var guid = await VerifyAsync(round, cancellationToken).ConfigureAwait(false);
        return new ReplicationResult(snapshot, round.From, guid, final.Bytes, clock.Elapsed, request.Path, round.Compression, estimate);
    }

    /// <summary>
    /// Moves the migration's hold on both hosts from the snapshot the round started from to the one it sent, so that
    /// nothing prunes the snapshot the next round starts from. Repeating it is harmless.
    /// </summary>
    /// <param name="round">A round that was sent.</param>
    /// <param name="cancellationToken">Stops the commands.</param>
    /// <returns>A task that completes when both hosts hold the new snapshot.</returns>
    public Task HoldRoundAsync(ReplicationRound round, CancellationToken cancellationToken = default)
    {
        if (round is null)
        {
            throw new ArgumentNullException(nameof(round));
        }

        var common = round.Streams[0].Common;
        return Task.WhenAll(
            MoveHoldAsync(Source, round.Snapshot, common.Source?.Name, round.Request, cancellationToken),
            MoveHoldAsync(Target, round.Request.Target.Snapshot(round.Snapshot.ShortName), common.Target?.Name, round.Request, cancellationToken));
    }

    /// <summary>
    /// Ends the replication's hold on both hosts and, when asked, destroys its snapshots there; what the
    /// migration no longer needs once it is complete or abandoned. Repeating it is harmless.
    /// </summary>
    /// <param name="request">The replication.</param>
    /// <param name="destroySnapshots">Also destroy the migration's snapshots on both hosts.</param>
    /// <param name="cancellationToken">Stops the commands.</param>
    /// <returns>A task that completes when both hosts are clean.</returns>
    public async Task ReleaseAsync(ReplicationRequest request, bool destroySnapshots, CancellationToken cancellationToken = default)
    {
        if (request is null)
        {
            throw new ArgumentNullException(nameof(request));
        }

        foreach (var (host, dataset) in new[] { (Source, request.Source), (Target, request.Target) })
        {
            var root = await ListRootAsync(host, dataset, recursive: false, cancellationToken).ConfigureAwait(false);
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

    /// <summary>Whether <paramref name="host"/> has the program <paramref name="tool"/> on its PATH (asked once).</summary>
    internal async Task<bool> HasToolAsync(ZfsHost host, string tool, CancellationToken cancellationToken)
    {
        lock (_tools)
        {
            if (_tools.TryGetValue((host, tool), out var known))
            {
                return known;
            }
        }

        var result = await host.Connection.ExecuteAsync(
            RemoteCommand.Create("sh", "-c", "command -v \"$1\" >/dev/null", "sh", tool), cancellationToken).ConfigureAwait(false);
        lock (_tools)
        {
            _tools[(host, tool)] = result.Succeeded;
        }

        return result.Succeeded;
    }

    /// <summary>The compression both hosts can do for <paramref name="requested"/>.</summary>
    /// <exception cref="ReplicationRefusedException">A specific compression was asked for and a host lacks it.</exception>
    internal async Task<StreamCompression> ResolveCompressionAsync(StreamCompression requested, CancellationToken cancellationToken)
    {
        switch (requested)
        {
            case StreamCompression.None:
                return StreamCompression.None;
            case StreamCompression.Auto:
                foreach (var candidate in new[] { StreamCompression.Zstd, StreamCompression.Lz4 })
                {
                    if (await BothHaveAsync(ToolOf(candidate), cancellationToken).ConfigureAwait(false))
                    {
                        return candidate;
                    }
                }

                return StreamCompression.None;
            default:
                var tool = ToolOf(requested);
                return await BothHaveAsync(tool, cancellationToken).ConfigureAwait(false)
                    ? requested
                    : throw new ReplicationRefusedException(
                        $"{requested} compression needs '{tool}' on both {Source.Connection.Destination} and {Target.Connection.Destination}; " +
                        $"install it on both (Debian: apt-get install {tool}), or ask for Auto or None.");
        }
    }

    /// <summary>The newest state of <paramref name="dataset"/> on <paramref name="host"/>, or <see langword="null"/> when it does not exist.</summary>
    internal static async Task<ZfsDataset?> ListRootAsync(ZfsHost host, DatasetName dataset, bool recursive, CancellationToken cancellationToken) =>
        (await host.ListAsync(dataset, recursive, cancellationToken).ConfigureAwait(false)).Find(dataset);

    /// <summary>
    /// The streams a round sends, parent first: one replication stream for the whole tree, or one a dataset
    /// where the source's zfs needs that (<see cref="ZfsReplicationPlan.SendOneDatasetAtATime"/>). Refuses a
    /// diverged or unrelated target, changing nothing, unless forced; when forced, makes it receivable.
    /// </summary>
    private async Task<(IReadOnlyList<ReplicationStream> Streams, ZfsListing TargetTree)> PlanStreamsAsync(
        ReplicationRequest request, ZfsReplicationPlan plan, ZfsListing sourceTree, ZfsListing targetTree, CancellationToken cancellationToken)
    {
        var oneStream = !request.IncludeChildren || !plan.SendOneDatasetAtATime;
        var sources = sourceTree.Datasets
            .Where(d => d.Name == request.Source || (!oneStream && d.Name.IsSelfOrDescendantOf(request.Source)))
            .OrderBy(d => d.Name.Components.Count)
            .ToList();

        for (var attempt = 0; ; attempt++)
        {
            if (attempt > 0)
            {
                targetTree = await Target.ListAsync(request.Target, recursive: true, cancellationToken).ConfigureAwait(false);
            }

            var streams = sources.Select(source =>
            {
                var target = ReplicationStream.TargetOf(request, source.Name);
                var common = CommonSnapshot.FindNewest(source.Snapshots, targetTree.Find(target)?.Snapshots);
                return new ReplicationStream(source.Name, target, common, oneStream && request.IncludeChildren, ModeFor(common, request.Force));
            }).ToList();

            var diverged = streams.Where(s => s.Common.IsDiverged).ToList();
            if (diverged.Count == 0)
            {
                return (streams, targetTree);
            }

            if (!request.Force || attempt > 0)
            {
                throw new ReplicationRefusedException(
                    $"Refusing to replicate {request.Source} to {request.Target} on {Target.Connection.Destination}: " +
                    string.Join(" ", diverged.Select(s => $"{s.Target}: {s.Common.Describe()}")) +
                    " Nothing was changed. Choose another target dataset, or, if the data there may be lost, repeat with Force " +
                    "(destructive: the target is destroyed or rolled back).");
            }

            foreach (var stream in diverged)
            {
                if (stream.Common.State == CommonSnapshotState.NoCommonSnapshot)
                {
                    await Target.DestroyRecursiveAsync(stream.Target, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                // Diverged after a common snapshot: drop what the target made since, newest first.
                foreach (var newer in stream.Common.TargetAfter.Reverse())
                {
                    await Target.ReleaseAsync(newer.Name, request.HoldTag, stream.IncludeChildren, cancellationToken).ConfigureAwait(false);
                    await Target.DestroySnapshotAsync(newer.Name, stream.IncludeChildren, cancellationToken).ConfigureAwait(false);
                }
            }
        }
    }

    /// <summary>
    /// The streams, with the single datasets' incremental ones sending data only where the copy already holds every
    /// property the source sets (<see cref="ReplicatedProperties"/>): one question to each host, both at once.
    /// </summary>
    private async Task<IReadOnlyList<ReplicationStream>> LeaveOutUnchangedPropertiesAsync(
        IReadOnlyList<ReplicationStream> streams, CancellationToken cancellationToken)
    {
        var single = streams.Where(s => s.IsIncremental && !s.IncludeChildren).ToList();
        if (single.Count == 0)
        {
            return streams;
        }

        var asked = Source.GetPropertiesAsync(single.Select(s => s.Source).ToList(), cancellationToken);
        var held = Target.GetPropertiesAsync(single.Select(s => s.Target).ToList(), cancellationToken);
        var (source, copy) = (await asked.ConfigureAwait(false), await held.ConfigureAwait(false));
        return streams
            .Select(s => single.Contains(s)
                ? s with
                {
                    SendsProperties = ReplicatedProperties.Differ(
                        source.Where(row => row.Name == s.Source.Value), copy.Where(row => row.Name == s.Target.Value)),
                }
                : s)
            .ToList();
    }

    private static ZfsReceiveMode ModeFor(CommonSnapshotResult common, bool force) =>
        common.State switch
        {
            // Ours and in step: a legacy target that mounted it may look modified though its data is not.
            CommonSnapshotState.Found => force ? ZfsReceiveMode.ForceRollback : ZfsReceiveMode.OwnedCopy,
            _ => ZfsReceiveMode.Normal,
        };

    /// <summary>
    /// Finishes a stream a previous round left half-received (modern ZFS keeps a resume token), or, when the
    /// token is stale, discards it so the round starts again from the newest common snapshot.
    /// </summary>
    private async Task ResumeInterruptedAsync(
        ReplicationRequest request, ZfsReplicationPlan plan, StreamCompression compression, CancellationToken cancellationToken)
    {
        var token = await Target.GetResumeTokenAsync(request.Target, cancellationToken).ConfigureAwait(false);
        if (token is null)
        {
            return;
        }

        try
        {
            await TransferAsync(
                request, ZfsSendCommand.Resume(token, plan), ZfsReceiveCommand.Create(request.Target, plan), compression,
                new ProgressMeter(null), cancellationToken).ConfigureAwait(false);
        }
        catch (TransferFailedException) when (plan.CanAbortResumableReceive)
        {
            await Target.AbortResumableReceiveAsync(request.Target, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<ZfsSendSizeEstimate> EstimateAsync(
        IReadOnlyList<ReplicationStream> streams, SnapshotName snapshot, ZfsReplicationPlan plan, ReplicationRequest request, CancellationToken cancellationToken)
    {
        if (streams.Count == 1)
        {
            var send = streams[0].Request(snapshot.ShortName);
            var estimate = await Source.EstimateSendSizeAsync(send, plan, cancellationToken).ConfigureAwait(false);
            if (estimate.IsKnown || send.IsIncremental)
            {
                return estimate;
            }
        }

        if (streams.Any(s => s.IsIncremental))
        {
            // Legacy zfs cannot size an incremental stream; space accounting would be no more than a guess.
            return ZfsSendSizeEstimate.Unknown;
        }

        var listing = await Source.ListAsync(request.Source, request.IncludeChildren, cancellationToken).ConfigureAwait(false);
        return ZfsSendSizeEstimate.FromSpaceUsage(listing, ZfsSendRequest.Full(snapshot, request.IncludeChildren));
    }

    private async Task TransferAsync(
        ReplicationRequest request,
        RemoteCommand send,
        RemoteCommand receive,
        StreamCompression compression,
        ProgressMeter meter,
        CancellationToken cancellationToken)
    {
        if (compression != StreamCompression.None)
        {
            var tool = ToolOf(compression);
            send = send.Pipe(RemoteCommand.Create(tool, "-1", "-q", "-c"));
            receive = RemoteCommand.Create(tool, "-d", "-q", "-c").Pipe(receive);
        }

        try
        {
            await TransferOnPathAsync(request, send, receive, meter, cancellationToken).ConfigureAwait(false);
        }
        catch (RemoteException)
        {
            // The receiving zfs may still be reading what reached it; the next round must not see its half-made dataset.
            await WaitForReceivesToEndAsync(request.Target, cancellationToken).ConfigureAwait(false);
            throw;
        }
    }

    private async Task<TransferResult> TransferOnPathAsync(
        ReplicationRequest request, RemoteCommand send, RemoteCommand receive, ProgressMeter meter, CancellationToken cancellationToken)
    {
        if (request.Path == TransferPath.Relay)
        {
            return await RelayTransfer.RunAsync(
                Source.Connection, send, Target.Connection, receive, meter, request.BandwidthLimit, cancellationToken).ConfigureAwait(false);
        }

        // The source's ssh logs in as the peer's user; zfs receive there needs root.
        await Target.Connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        if (Target.Connection.UsesSudo)
        {
            receive = RemoteCommand.Create("sudo", "-n", "--", "sh", "-c", receive.CommandLine);
        }

        var peer = request.DirectPeer ?? Target.Connection.Destination;
        return await DirectTransfer.RunAsync(
            Source.Connection, send, peer, receive, meter, request.BandwidthLimit, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Checks that every dataset of the copy has the round's snapshot with the source's GUID, keeps the copy read-only
    /// (or makes it writable when the request hands it over) and remounts it where the target needs that: one command on each host, both at once. Returns the root's GUID.
    /// </summary>
    private async Task<ulong> VerifyAsync(ReplicationRound round, CancellationToken cancellationToken)
    {
        var name = round.Snapshot.ShortName;
        var sentSnapshots = round.SentDatasets.Select(d => d.Snapshot(name)).ToList();
        var receivedSnapshots = round.SentDatasets.Select(d => round.TargetOf(d).Snapshot(name)).ToList();
        var sentGuids = Source.GetSnapshotGuidsAsync(sentSnapshots, cancellationToken);
        var receivedGuids = Target.SettleReceivedCopyAsync(
            round.Request.Target, round.Request.LeaveCopyWritable, round.Plan.RemountAfterReceive ? round.MountedCopies : Array.Empty<DatasetName>(), receivedSnapshots, cancellationToken);
        var sent = await sentGuids.ConfigureAwait(false);
        var received = await receivedGuids.ConfigureAwait(false);
        for (var i = 0; i < sentSnapshots.Count; i++)
        {
            var hasSent = sent.TryGetValue(sentSnapshots[i], out var sentGuid);
            var hasReceived = received.TryGetValue(receivedSnapshots[i], out var receivedGuid);
            if (!hasSent || !hasReceived || sentGuid != receivedGuid)
            {
                throw new TransferFailedException(
                    $"After sending {round.Snapshot} to {Target.Connection.Destination}, the target's {receivedSnapshots[i]} " +
                    (!hasReceived ? "is missing" : $"has GUID {receivedGuid}, not the source's {(hasSent ? sentGuid.ToString(System.Globalization.CultureInfo.InvariantCulture) : "(missing)")}") +
                    "; the copy cannot be trusted. Run the replication again; with Force if the target must be replaced.");
            }
        }

        return sent[round.Snapshot];
    }

    /// <summary>
    /// Waits (up to half a minute) until no <c>zfs receive</c> into <paramref name="dataset"/> or below runs on the
    /// target: one cut off from its stream ends by itself once it notices, and cleans up after itself.
    /// </summary>
    /// <exception cref="ReplicationRefusedException">One still runs after that; the message names it.</exception>
    private async Task WaitForReceivesToEndAsync(DatasetName dataset, CancellationToken cancellationToken)
    {
        var pattern = "^zfs (receive|recv) .*" + Regex.Escape(dataset.Value) + "(/.*)?$";
        var check = RemoteCommand.Create("pgrep", "-f", "--", pattern);
        for (var waited = TimeSpan.Zero; waited < ReceiveEndTimeout; waited += ReceivePollInterval)
        {
            if (!(await Target.Connection.ExecuteAsync(check, cancellationToken).ConfigureAwait(false)).Succeeded)
            {
                return;
            }

            await Task.Delay(ReceivePollInterval, cancellationToken).ConfigureAwait(false);
        }

        throw new ReplicationRefusedException(
            $"A zfs receive into {dataset} is still running on {Target.Connection.Destination} after {ReceiveEndTimeout.TotalSeconds:0} s; " +
            "wait for it to end (or end it there) before the next round.");
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

    private async Task<bool> BothHaveAsync(string tool, CancellationToken cancellationToken) =>
        await HasToolAsync(Source, tool, cancellationToken).ConfigureAwait(false) &&
        await HasToolAsync(Target, tool, cancellationToken).ConfigureAwait(false);

    private static string ToolOf(StreamCompression compression) => compression == StreamCompression.Lz4 ? "lz4" : "zstd";

    /// <summary>Reports one stream's progress as part of the round's, counting on from what earlier streams moved.</summary>
    private sealed class OffsetProgress(ProgressMeter round, long offset) : IProgress<TransferProgress>
    {
        public void Report(TransferProgress value) => round.Set(offset + value.Bytes);
    }
}
