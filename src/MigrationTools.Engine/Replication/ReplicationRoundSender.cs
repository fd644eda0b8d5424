using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using MigrationTools.Engine.Transfer;
using MigrationTools.Engine.Zfs;

namespace MigrationTools.Engine.Replication;

/// <summary>
/// Sends a planned round (<see cref="ZfsReplicator.SendRoundAsync"/>): the snapshot, its size where it can be known,
/// the streams with one progress count across them, then the check that the copy holds the source's snapshots.
/// </summary>
internal sealed class ReplicationRoundSender
{
    private readonly ZfsHost _source;
    private readonly ZfsHost _target;
    private readonly ReplicationStreamer _streamer;

    public ReplicationRoundSender(ZfsHost source, ZfsHost target, ReplicationStreamer streamer) =>
        (_source, _target, _streamer) = (source, target, streamer);

    /// <inheritdoc cref="ZfsReplicator.SendRoundAsync"/>
    public async Task<ReplicationResult> SendAsync(
        ReplicationRound round, IProgress<TransferProgress>? progress, CancellationToken cancellationToken)
    {
        var (request, plan, streams, snapshot) = (round.Request, round.Plan, round.Streams, round.Snapshot);
        var sizeFirst = progress is not null && (plan.CanEstimateSize || streams.Any(s => !s.IsIncremental));
        var estimate = ZfsSendSizeEstimate.Unknown;
        if (sizeFirst)
        {
            await _source.CreateSnapshotAsync(snapshot, request.IncludeChildren, cancellationToken).ConfigureAwait(false);
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
            await _streamer.TransferAsync(
                request, command, ZfsReceiveCommand.Create(streams[i].Target, plan, streams[i].Mode), round.Compression, streamMeter, cancellationToken)
                .ConfigureAwait(false);
        }

        var final = meter.Complete();
        var guid = await VerifyAsync(round, cancellationToken).ConfigureAwait(false);
        return new ReplicationResult(snapshot, round.From, guid, final.Bytes, clock.Elapsed, request.Path, round.Compression, estimate);
    }

    private async Task<ZfsSendSizeEstimate> EstimateAsync(
        IReadOnlyList<ReplicationStream> streams, SnapshotName snapshot, ZfsReplicationPlan plan, ReplicationRequest request, CancellationToken cancellationToken)
    {
        if (streams.Count == 1)
        {
            var send = streams[0].Request(snapshot.ShortName);
            var estimate = await _source.EstimateSendSizeAsync(send, plan, cancellationToken).ConfigureAwait(false);
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

        var listing = await _source.ListAsync(request.Source, request.IncludeChildren, cancellationToken).ConfigureAwait(false);
        return ZfsSendSizeEstimate.FromSpaceUsage(listing, ZfsSendRequest.Full(snapshot, request.IncludeChildren));
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
        var sentGuids = _source.GetSnapshotGuidsAsync(sentSnapshots, cancellationToken);
        var receivedGuids = _target.SettleReceivedCopyAsync(
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
                    $"After sending {round.Snapshot} to {_target.Connection.Destination}, the target's {receivedSnapshots[i]} " +
                    (!hasReceived ? "is missing" : $"has GUID {receivedGuid}, not the source's {(hasSent ? sentGuid.ToString(System.Globalization.CultureInfo.InvariantCulture) : "(missing)")}") +
                    "; the copy cannot be trusted. Run the replication again; with Force if the target must be replaced.");
            }
        }

        return sent[round.Snapshot];
    }

    /// <summary>Reports one stream's progress as part of the round's, counting on from what earlier streams moved.</summary>
    private sealed class OffsetProgress(ProgressMeter round, long offset) : IProgress<TransferProgress>
    {
        public void Report(TransferProgress value) => round.Set(offset + value.Bytes);
    }
}
