using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using MigrationTools.Engine.Transfer;
using MigrationTools.Engine.Zfs;

namespace MigrationTools.Engine.Replication;

/// <summary>
/// Plans a replication round (<see cref="ZfsReplicator.PlanRoundAsync"/>): finishes a stream an earlier round left
/// half-received, finds the newest snapshot both sides share, refuses (or, when forced, clears) a diverged target, and
/// chooses the streams and the new snapshot's name.
/// </summary>
internal sealed class ReplicationRoundPlanner
{
    private readonly ZfsHost _source;
    private readonly ZfsHost _target;
    private readonly ReplicationTools _tools;
    private readonly ReplicationStreamer _streamer;

    public ReplicationRoundPlanner(ZfsHost source, ZfsHost target, ReplicationTools tools, ReplicationStreamer streamer) =>
        (_source, _target, _tools, _streamer) = (source, target, tools, streamer);

    /// <inheritdoc cref="ZfsReplicator.PlanRoundAsync"/>
    public async Task<ReplicationRound> PlanAsync(ReplicationRequest request, CancellationToken cancellationToken)
    {
        var plan = await _source.PlanTransferToAsync(_target, cancellationToken).ConfigureAwait(false);
        var compression = await _tools.ResolveCompressionAsync(request.Compression, cancellationToken).ConfigureAwait(false);

        if (plan.ReceiveResumable)
        {
            await ResumeInterruptedAsync(request, plan, compression, cancellationToken).ConfigureAwait(false);
        }

        // The two hosts answer independently: every step below that asks both asks them at once.
        var listingSource = _source.ListAsync(request.Source, request.IncludeChildren, cancellationToken);
        var listingTarget = _target.ListAsync(request.Target, recursive: true, cancellationToken);
        var sourceTree = await listingSource.ConfigureAwait(false);
        var targetTree = await listingTarget.ConfigureAwait(false);
        var sourceRoot = sourceTree.Find(request.Source)
            ?? throw new ReplicationRefusedException(
                $"The source dataset {request.Source} does not exist on {_source.Connection.Destination}; check the name with 'zfs list'.");
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
                targetTree = await _target.ListAsync(request.Target, recursive: true, cancellationToken).ConfigureAwait(false);
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
                    $"Refusing to replicate {request.Source} to {request.Target} on {_target.Connection.Destination}: " +
                    string.Join(" ", diverged.Select(s => $"{s.Target}: {s.Common.Describe()}")) +
                    " Nothing was changed. Choose another target dataset, or, if the data there may be lost, repeat with Force " +
                    "(destructive: the target is destroyed or rolled back).");
            }

            foreach (var stream in diverged)
            {
                if (stream.Common.State == CommonSnapshotState.NoCommonSnapshot)
                {
                    await _target.DestroyRecursiveAsync(stream.Target, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                // Diverged after a common snapshot: drop what the target made since, newest first.
                foreach (var newer in stream.Common.TargetAfter.Reverse())
                {
                    await _target.ReleaseAsync(newer.Name, request.HoldTag, stream.IncludeChildren, cancellationToken).ConfigureAwait(false);
                    await _target.DestroySnapshotAsync(newer.Name, stream.IncludeChildren, cancellationToken).ConfigureAwait(false);
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

        var asked = _source.GetPropertiesAsync(single.Select(s => s.Source).ToList(), cancellationToken);
        var held = _target.GetPropertiesAsync(single.Select(s => s.Target).ToList(), cancellationToken);
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
        var token = await _target.GetResumeTokenAsync(request.Target, cancellationToken).ConfigureAwait(false);
        if (token is null)
        {
            return;
        }

        try
        {
            await _streamer.TransferAsync(
                request, ZfsSendCommand.Resume(token, plan), ZfsReceiveCommand.Create(request.Target, plan), compression,
                new ProgressMeter(null), cancellationToken).ConfigureAwait(false);
        }
        catch (TransferFailedException) when (plan.CanAbortResumableReceive)
        {
            await _target.AbortResumableReceiveAsync(request.Target, cancellationToken).ConfigureAwait(false);
        }
    }
}
