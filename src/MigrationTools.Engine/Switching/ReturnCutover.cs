using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using MigrationTools.Engine.Criu;
using MigrationTools.Engine.Journal;
using MigrationTools.Engine.Migrations;
using MigrationTools.Engine.Placement;
using MigrationTools.Engine.Replication;
using MigrationTools.Engine.Transfer;
using MigrationTools.Engine.Workloads;

namespace MigrationTools.Engine.Switching;

/// <summary>
/// One run of an undo that keeps what the workload changed on the destination: the switch in reverse. It ends the
/// switch's obsolete frozen tree on the source, halts the destination (checkpointed and left frozen in criu mode,
/// stopped in restart mode), sends the datasets' changes back (and the checkpoint beside them), runs the workload on
/// the source and checks its health, then ends what is left on the destination. Until the source runs the workload
/// healthily, a failure puts it back on the destination, so it always runs on exactly one host.
/// </summary>
/// <remarks>
/// Every step looks at the hosts first, so a run after a crash continues where the last one stopped: the record's
/// <see cref="MigrationRecord.Return"/> says the undo is under way and whether the destination's checkpoint is whole.
/// Once begun it runs to its end, without cancellation: stopping half-way could leave the workload running nowhere.
/// </remarks>
internal sealed class ReturnCutover
{
    /// <summary>How long a checkpoint or restore left by a dead controller may still run before the undo gives up on it.</summary>
    private static readonly TimeSpan LeftoverLimit = TimeSpan.FromMinutes(2);

    private readonly MigrationJournal _journal;
    private readonly MigrationHosts _hosts;
    private readonly WorkloadPlacement _placement;
    private readonly WorkloadManifest _manifest;
    private readonly IProgress<MigrationProgress>? _progress;
    private readonly CriuImageDirectory _images;

    /// <param name="journal">Where the record is saved.</param>
    /// <param name="hosts">The migration's two hosts.</param>
    /// <param name="placement">How the workload is placed on them.</param>
    /// <param name="manifest">The workload's manifest.</param>
    /// <param name="record">The record, Switched, with the undo active and <see cref="MigrationRecord.Return"/> set.</param>
    /// <param name="progress">Receives progress; may be <see langword="null"/>.</param>
    public ReturnCutover(
        MigrationJournal journal, MigrationHosts hosts, WorkloadPlacement placement, WorkloadManifest manifest, MigrationRecord record,
        IProgress<MigrationProgress>? progress)
    {
        _journal = journal;
        _hosts = hosts;
        _placement = placement;
        _manifest = manifest;
        _progress = progress;
        Record = record;
        _images = ReturnReplication.ImagesOf(record);
    }

    /// <summary>The record as this run last saved it.</summary>
    public MigrationRecord Record { get; private set; }

    /// <summary>The bytes this run sent back: the datasets' changes and the checkpoint.</summary>
    public long BytesSent { get; private set; }

    private bool Live => _placement.Strategy.Mode == CheckpointMode.Criu;

    private WorkloadReturn Return => Record.Return ?? new WorkloadReturn(null);

    /// <summary>
    /// Moves the workload back to the source as it runs now, or throws with it running on the destination again
    /// (<see cref="MigrationRecord.Return"/> then cleared) or, when even that failed, as far as it got.
    /// </summary>
    public async Task<MigrationRecord> RunAsync()
    {
        var none = CancellationToken.None;
        await WaitForLeftoversAsync(none).ConfigureAwait(false);
        if (!await FindRunningOnSourceAsync(none).ConfigureAwait(false))
        {
            try
            {
                var rounds = await PlanRoundsAsync(none).ConfigureAwait(false);
                await EndSwitchTreeOnSourceAsync(none).ConfigureAwait(false);
                await HaltDestinationAsync(none).ConfigureAwait(false);
                await ShipBackAsync(rounds, none).ConfigureAwait(false);
                await StartOnSourceAsync(none).ConfigureAwait(false);
            }
            catch (Exception e) when (PhaseFailures.IsFailure(e))
            {
                await KeepOnDestinationAsync(e).ConfigureAwait(false);
                throw;
            }
        }

        try
        {
            await _placement.OpenAddressesAsync(onSource: true, Record, none).ConfigureAwait(false);
            await CheckHealthOnSourceAsync(none).ConfigureAwait(false);
        }
        catch (Exception e) when (PhaseFailures.IsFailure(e))
        {
            await TakeBackFromSourceAsync().ConfigureAwait(false);
            await KeepOnDestinationAsync(e).ConfigureAwait(false);
            throw;
        }

        await EndOnDestinationAsync(none).ConfigureAwait(false);
        Record = _journal.Save(Record with { Owner = WorkloadOwner.Source });
        return Record;
    }

    private void Report(string activity) => _progress?.Report(new MigrationProgress(Record.Id, MigrationPhase.Undo, activity));

    /// <summary>Waits for this undo's checkpoint or restore that a dead controller left running.</summary>
    private async Task WaitForLeftoversAsync(CancellationToken cancellationToken)
    {
        if (!Live)
        {
            return;
        }

        var ended = await Task.WhenAll(
            _hosts.DestinationCriu.WaitForOperationAsync(CriuOperation.Dump, _images, LeftoverLimit, cancellationToken),
            _hosts.SourceCriu.WaitForOperationAsync(CriuOperation.Restore, _images, LeftoverLimit, cancellationToken)).ConfigureAwait(false);
        if (ended.Contains(false))
        {
            throw new MigrationRefusedException(
                $"A checkpoint or restore of {Record.Workload} ({_images}) is still running after {LeftoverLimit.TotalMinutes} minutes; " +
                "wait for it to end (see criu's log in that directory), then undo again.");
        }
    }

    /// <summary>
    /// Whether an earlier run already brought the workload up on the source (adopting a tree restored there from this
    /// undo's checkpoint but not recorded): only this undo runs it there while the record says it is under way.
    /// </summary>
    private async Task<bool> FindRunningOnSourceAsync(CancellationToken cancellationToken)
    {
        var source = await _placement.SourceStatusAsync(cancellationToken).ConfigureAwait(false);
        if (source.State != WorkloadState.Running && Live && Return.CheckpointedProcess is not null &&
            await _hosts.SourceCriu.FindRestoredAsync(_images, cancellationToken).ConfigureAwait(false) is { } restored)
        {
            await _hosts.Source.Runtime.AdoptAsync(Record.Workload, restored, cancellationToken).ConfigureAwait(false);
            return true;
        }

        return source.State == WorkloadState.Running;
    }

    /// <summary>Plans each dataset's round back before the workload is halted, so the downtime holds only what must happen in it.</summary>
    private async Task<IReadOnlyList<ReplicationRound>> PlanRoundsAsync(CancellationToken cancellationToken)
    {
        var replicator = ReturnReplication.Replicator(_hosts);
        var rounds = new List<ReplicationRound>();
        foreach (var dataset in Record.Datasets)
        {
            rounds.Add(await replicator.PlanRoundAsync(ReturnReplication.For(Record, dataset), cancellationToken).ConfigureAwait(false));
        }

        return rounds;
    }

    /// <summary>
    /// Ends the tree the switch left frozen on the source: its state is older than the destination's, and it holds files
    /// open on the datasets the changes are received into.
    /// </summary>
    private async Task EndSwitchTreeOnSourceAsync(CancellationToken cancellationToken)
    {
        var source = await _placement.SourceStatusAsync(cancellationToken).ConfigureAwait(false);
        if (source.State == WorkloadState.Frozen)
        {
            Report($"Ending the switch's frozen tree on {Record.Source}");
            await _hosts.Source.Runtime.KillAsync(Record.Workload, cancellationToken).ConfigureAwait(false);
        }

        if (Record.CheckpointedProcess is not null)
        {
            // Before the record forgets it: the switch's dump log names the network lock its tree left.
            await _placement.Strategy.ClearEndedSourceAsync(_hosts, Record, cancellationToken).ConfigureAwait(false);
            Record = _journal.Save(Record with { CheckpointedProcess = null });
        }
    }

    /// <summary>
    /// Freezes the destination's tree into a checkpoint of its own (criu), unless an earlier run took it whole, or stops
    /// it gracefully (restart). A checkpoint is recorded as soon as it is whole.
    /// </summary>
    private async Task HaltDestinationAsync(CancellationToken cancellationToken)
    {
        var destination = await _placement.DestinationStatusAsync(cancellationToken).ConfigureAwait(false);
        if (!Live)
        {
            if (destination.State != WorkloadState.Stopped)
            {
                Report($"Stopping {Record.Workload} on {Record.Destination}");
                await _hosts.Destination.Runtime.StopAsync(Record.Workload, TimeSpan.FromSeconds(Record.Settings.StopTimeoutSeconds), cancellationToken)
                    .ConfigureAwait(false);
            }

            await _placement.ReleaseAddressesAsync(onSource: false, Record, cancellationToken).ConfigureAwait(false);
            return;
        }

        if (Return.CheckpointedProcess is not null && destination.State != WorkloadState.Running)
        {
            // An earlier run's checkpoint is whole, and nothing has run on the destination since.
            await _placement.ReleaseAddressesAsync(onSource: false, Record, cancellationToken).ConfigureAwait(false);
            return;
        }

        if (destination.State == WorkloadState.Frozen)
        {
            // A checkpoint that was cut short: let the tree run and take it again.
            await _hosts.DestinationCriu.ResumeAsync(destination.Process!, cancellationToken).ConfigureAwait(false);
        }
        else if (destination.State != WorkloadState.Running)
        {
            throw new MigrationRefusedException(
                $"{Record.Workload} is not running on {Record.Destination}, so there is nothing to checkpoint and move back as it runs; " +
                "start it there and undo again, or undo without keeping changes.");
        }

        Report($"Checkpointing {Record.Workload} on {Record.Destination}");
        await _hosts.DestinationCriu.DumpAsync(
            new CriuDumpRequest(destination.Process!, _images)
            {
                CarriedFiles = new[] { _hosts.Destination.Paths.OutputLog(Record.Workload) },
                Options = Record.Settings.Checkpoint,
            },
            cancellationToken).ConfigureAwait(false);
        Record = _journal.Save(Record with { Return = new WorkloadReturn(destination.Process) });
        await _placement.ReleaseAddressesAsync(onSource: false, Record, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The datasets' changes and, in criu mode, the checkpoint, side by side; either failing stops both.</summary>
    private async Task ShipBackAsync(IReadOnlyList<ReplicationRound> rounds, CancellationToken cancellationToken)
    {
        var replicator = ReturnReplication.Replicator(_hosts);
        var (delta, state) = await LinkedWork.BothAsync(
            token => SendRoundsAsync(replicator, rounds, token),
            token => Live ? ShipCheckpointAsync(token) : Task.FromResult<TransferResult?>(null),
            cancellationToken).ConfigureAwait(false);
        await Task.WhenAll(rounds.Select(round => replicator.HoldRoundAsync(round, cancellationToken))).ConfigureAwait(false);
        var sent = delta.Bytes + (state?.Bytes ?? 0);
        BytesSent += sent;
        Record = _journal.Save(Record with { Datasets = delta.Datasets, BytesTransferred = Record.BytesTransferred + sent });
    }

    private async Task<ReplicatedDatasets> SendRoundsAsync(ZfsReplicator replicator, IReadOnlyList<ReplicationRound> rounds, CancellationToken cancellationToken)
    {
        var updated = new List<DatasetProgress>();
        long bytes = 0;
        foreach (var (dataset, round) in Record.Datasets.Zip(rounds, (d, r) => (d, r)))
        {
            Report($"Sending the changes of {dataset.Target} back to {Record.Source}");
            var result = await replicator.SendRoundAsync(round, null, cancellationToken).ConfigureAwait(false);
            updated.Add(dataset with { CommonSnapshot = result.Snapshot.Value, CommonSnapshotGuid = result.Guid, BytesTotal = dataset.BytesTotal + result.Bytes });
            bytes += result.Bytes;
        }

        return new ReplicatedDatasets(updated, bytes);
    }

    private async Task<TransferResult?> ShipCheckpointAsync(CancellationToken cancellationToken)
    {
        Report($"Sending the checkpoint back to {Record.Source}");
        return await CriuCheckpointStrategy.ShipImagesAsync(
            _hosts.DestinationConnection, _hosts.SourceConnection, Record.Source, _images, Record.Settings, besidePages: false, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Hands the source's datasets back to the workload and restores it there from the checkpoint, or starts it.</summary>
    private async Task StartOnSourceAsync(CancellationToken cancellationToken)
    {
        await SetSourceWritableAsync(true, cancellationToken).ConfigureAwait(false);
        await _placement.ClaimAddressesAsync(onSource: true, Record, cancellationToken).ConfigureAwait(false);
        if (Live)
        {
            Report($"Restoring {Record.Workload} on {Record.Source}");
            // The restore records the tree's PID itself, as the switch's restore does.
            await _hosts.SourceCriu.RestoreAsync(
                CriuCheckpointStrategy.RestoreRequest(_images, Record, _hosts.Source),
                cancellationToken).ConfigureAwait(false);
        }
        else
        {
            Report($"Starting {Record.Workload} on {Record.Source}");
            await _hosts.Source.Runtime.StartAsync(_manifest, cancellationToken).ConfigureAwait(false);
        }
    }

    private Task CheckHealthOnSourceAsync(CancellationToken cancellationToken) =>
        _placement.CheckHealthOnSourceAsync(Record, Report, cancellationToken);

    /// <summary>Ends what is left on the destination once the source runs the workload healthily: the frozen tree, if any.</summary>
    private async Task EndOnDestinationAsync(CancellationToken cancellationToken)
    {
        var destination = await _placement.DestinationStatusAsync(cancellationToken).ConfigureAwait(false);
        if (destination.State == WorkloadState.Running)
        {
            throw new MigrationRefusedException(
                $"{Record.Workload} runs on {Record.Source} and also, not frozen, on {Record.Destination}; something other than this undo " +
                $"started it there. Stop the one whose changes may be lost, then undo again.");
        }

        Report($"Ending the frozen tree on {Record.Destination}");
        await _hosts.Destination.Runtime.KillAsync(Record.Workload, cancellationToken).ConfigureAwait(false);
        if (Live && Record.Settings.Checkpoint.TcpEstablished && Return.CheckpointedProcess is { } frozen)
        {
            // Only now, with the tree gone: its sockets, locked until then, could otherwise still answer its old clients.
            await _hosts.DestinationCriu.ReleaseNetworkLockAsync(frozen, _images, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Lets the destination's frozen tree run again. A whole checkpoint with established connections is restored in
    /// place (a resumed tree's sockets stay in CRIU's repair mode and reset their clients); a resume does for the rest.
    /// </summary>
    private async Task RunFrozenDestinationAgainAsync(WorkloadProcess frozen, CancellationToken cancellationToken)
    {
        await CriuCheckpointStrategy.RunFrozenAgainAsync(
            _hosts.Destination, _hosts.DestinationCriu, _images, Record, frozen, restorable: Return.CheckpointedProcess is not null, cancellationToken)
            .ConfigureAwait(false);
    }

    /// <summary>
    /// After the source ran the workload unhealthily: ends it there (a restored tree at once, since the destination's frozen
    /// tree takes over from an older state anyway; a started one gracefully) and fences the source's datasets again.
    /// </summary>
    private async Task TakeBackFromSourceAsync()
    {
        var none = CancellationToken.None;
        var grace = Live ? TimeSpan.Zero : TimeSpan.FromSeconds(Record.Settings.StopTimeoutSeconds);
        await _hosts.Source.Runtime.StopAsync(Record.Workload, grace, none).ConfigureAwait(false);
        await _placement.ReleaseAddressesAsync(onSource: true, Record, none).ConfigureAwait(false);
        await SetSourceWritableAsync(false, none).ConfigureAwait(false);
    }

    /// <summary>
    /// A step failed before the source ran the workload healthily: it keeps running on the destination, resumed from its
    /// frozen tree (criu) or started again (restart), and the undo is no longer under way. A failure here leaves the
    /// record as it is, so that undo again continues.
    /// </summary>
    private async Task KeepOnDestinationAsync(Exception cause)
    {
        var none = CancellationToken.None;
        try
        {
            if (Live && await _hosts.SourceCriu.FindRestoredAsync(_images, none).ConfigureAwait(false) is { } restored)
            {
                // A restore that failed after its tree came up: that tree must not run beside the destination's.
                await _hosts.Source.Runtime.AdoptAsync(Record.Workload, restored, none).ConfigureAwait(false);
                await _hosts.Source.Runtime.KillAsync(Record.Workload, none).ConfigureAwait(false);
            }

            await SetSourceWritableAsync(false, none).ConfigureAwait(false);
            var destination = await _placement.DestinationStatusAsync(none).ConfigureAwait(false);
            await _placement.ClaimAddressesAsync(onSource: false, Record, none).ConfigureAwait(false);
            if (destination.State == WorkloadState.Frozen)
            {
                await RunFrozenDestinationAgainAsync(destination.Process!, none).ConfigureAwait(false);
            }
            else if (destination.State == WorkloadState.Stopped)
            {
                await _hosts.Destination.Runtime.StartAsync(_manifest, none).ConfigureAwait(false);
            }

            // Whichever way it runs there again (or never stopped), the claim's hold must not outlast this.
            await _placement.OpenAddressesAsync(onSource: false, Record, none).ConfigureAwait(false);
            await _hosts.DestinationCriu.RemoveImagesAsync(_images, none).ConfigureAwait(false);
            Record = _journal.Save(Record with { Return = null });
        }
        catch (Exception e) when (PhaseFailures.IsFailure(e))
        {
            throw new MigrationRefusedException(
                $"Moving {Record.Workload} back to {Record.Source} failed ({cause.Message.TrimEnd().TrimEnd('.')}), and so did letting it run on " +
                $"{Record.Destination} again ({e.Message.TrimEnd().TrimEnd('.')}). Its state and changes are on {Record.Destination}; " +
                "undo again (keeping changes) to continue once the cause is fixed.", e);
        }
    }

    /// <summary>Hands the source's datasets to the workload (writable) or fences them again (read-only).</summary>
    private async Task SetSourceWritableAsync(bool writable, CancellationToken cancellationToken)
    {
        foreach (var dataset in Record.Datasets)
        {
            await _hosts.Source.Zfs.SetReadOnlyAsync(dataset.Source, !writable, cancellationToken).ConfigureAwait(false);
        }
    }
}
