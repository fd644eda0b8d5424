using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using MigrationTools.Engine.Criu;
using MigrationTools.Engine.Hooks;
using MigrationTools.Engine.Journal;
using MigrationTools.Engine.Migrations;
using MigrationTools.Engine.Placement;
using MigrationTools.Engine.Replication;
using MigrationTools.Engine.Workloads;

namespace MigrationTools.Engine.Switching;

/// <summary>
/// One run of a switch's cut-over, from the destination's first look to the after-commit hooks. It owns what the run
/// learns on its way (the record as saved, the planned final rounds, the downtime and its parts), and tells a
/// rollback how far it got through <see cref="DestinationMayRun"/>.
/// </summary>
internal sealed class SwitchCutover
{
    private readonly MigrationJournal _journal;
    private readonly Func<DateTimeOffset> _clock;
    private readonly MigrationHosts _hosts;
    private readonly WorkloadPlacement _placement;
    private readonly IProgress<MigrationProgress>? _progress;
    private readonly Stopwatch _downtime = new();

    /// <summary>A switch resumed after the freeze cannot know when the workload stopped serving.</summary>
    private readonly bool _resumedAfterFreeze;

    private DowntimeParts _parts = new();
    private IReadOnlyList<ReplicationRound> _rounds = Array.Empty<ReplicationRound>();

    /// <param name="journal">Where the record is saved.</param>
    /// <param name="clock">The time source for the record.</param>
    /// <param name="hosts">The migration's two hosts.</param>
    /// <param name="placement">How the workload is placed on them.</param>
    /// <param name="record">The record, Switching, with the switch phase active.</param>
    /// <param name="interrupted">Whether this run continues a switch that an earlier run left unfinished.</param>
    /// <param name="progress">Receives progress; may be <see langword="null"/>.</param>
    public SwitchCutover(
        MigrationJournal journal, Func<DateTimeOffset> clock, MigrationHosts hosts, WorkloadPlacement placement, MigrationRecord record,
        bool interrupted, IProgress<MigrationProgress>? progress)
    {
        _journal = journal;
        _clock = clock;
        _hosts = hosts;
        _placement = placement;
        _progress = progress;
        Record = record;
        _resumedAfterFreeze = record.CheckpointedProcess is not null;
        // An interrupted switch may have restored or started the workload on the destination already.
        DestinationMayRun = interrupted;
    }

    /// <summary>The record as this run last saved it.</summary>
    public MigrationRecord Record { get; private set; }

    /// <summary>Whether the workload may run on the destination: a rollback then has to reach it before using the source.</summary>
    public bool DestinationMayRun { get; private set; }

    /// <summary>Cuts the workload over to the destination and commits, or throws with the hosts as far as it got.</summary>
    public async Task<MigrationRecord> RunAsync(CancellationToken cancellationToken)
    {
        if (!await FindRunningOnDestinationAsync(cancellationToken).ConfigureAwait(false))
        {
            var source = await PrepareAsync(cancellationToken).ConfigureAwait(false);
            await PreCopyAsync(source, cancellationToken).ConfigureAwait(false);
            _downtime.Start();
            await HaltSourceAsync(source, cancellationToken).ConfigureAwait(false);
            await ShipFinalStateAsync(cancellationToken).ConfigureAwait(false);
            await StartOnDestinationAsync(cancellationToken).ConfigureAwait(false);
        }

        await _placement.OpenAddressesAsync(onSource: false, Record, cancellationToken).ConfigureAwait(false);
        await CheckHealthAsync(cancellationToken).ConfigureAwait(false);
        // The downtime ends here: the workload serves on the destination; what follows is bookkeeping, and for a
        // post-copy the rest of the memory, which must all have arrived before the source may be given up.
        _downtime.Stop();
        _parts = _parts with { PostCopy = await _placement.AwaitMemoryAsync(Record, Report, cancellationToken).ConfigureAwait(false) };
        await HoldFinalSnapshotsAsync().ConfigureAwait(false);
        var outcome = await CommitAsync().ConfigureAwait(false);
        await RunAfterCommitHooksAsync(outcome).ConfigureAwait(false);
        return Record;
    }

    private void Report(string activity) => _progress?.Report(new MigrationProgress(Record.Id, MigrationPhase.Switch, activity));

    /// <summary>Whether an interrupted switch already runs the workload on the destination (adopting a tree it left unrecorded).</summary>
    private async Task<bool> FindRunningOnDestinationAsync(CancellationToken cancellationToken)
    {
        var target = await _placement.DestinationStatusAsync(cancellationToken).ConfigureAwait(false);
        if (target.State != WorkloadState.Running && await _placement.AdoptOnDestinationAsync(Record, cancellationToken).ConfigureAwait(false))
        {
            target = await _placement.DestinationStatusAsync(cancellationToken).ConfigureAwait(false);
        }

        DestinationMayRun |= target.State == WorkloadState.Running;
        return target.State == WorkloadState.Running;
    }

    /// <summary>
    /// Everything that does not need the workload halted happens before, so the downtime holds only what must: both
    /// connections up, the final replication round planned (listings, common snapshots, ZFS capabilities,
    /// compression), the manifest declared there.
    /// </summary>
    /// <returns>The workload's state on the source before it is halted.</returns>
    private async Task<WorkloadStatus> PrepareAsync(CancellationToken cancellationToken)
    {
        var source = await _placement.SourceStatusAsync(cancellationToken).ConfigureAwait(false);
        // The final round hands the copy over: its check leaves it writable for the workload about to run there
        // (nothing runs there yet, and nothing writes on the frozen or stopped source); a rollback fences it again.
        var planned = Task.WhenAll(Record.Datasets.Select(d =>
            _hosts.Replicator.PlanRoundAsync(ReplicationRequests.For(Record, d) with { LeaveCopyWritable = true }, cancellationToken)));
        var memory = ChooseMemoryMoveAsync(cancellationToken);
        await Task.WhenAll(planned, _placement.DeclareOnDestinationAsync(cancellationToken), memory).ConfigureAwait(false);
        _rounds = await planned.ConfigureAwait(false);
        if (await memory.ConfigureAwait(false) is { } move)
        {
            Record = _journal.Save(Record with { MemoryMove = move });
        }

        await MemoryTransfers.StartPagesAsync(_hosts, Record, cancellationToken).ConfigureAwait(false);

        return source;
    }

    /// <summary>
    /// How this switch moves memory, chosen now from what the hosts can do, unless an interrupted run already chose; a
    /// method asked for that the hosts cannot do stops the switch before the freeze.
    /// </summary>
    private async Task<MemoryMove?> ChooseMemoryMoveAsync(CancellationToken cancellationToken)
    {
        if (Record.MemoryMove is not null || Record.CheckpointedProcess is not null)
        {
            return null;
        }

        var choice = await _placement.ChooseMemoryTransferAsync(Record.Settings, cancellationToken).ConfigureAwait(false);
        if (choice is { Refused: true })
        {
            throw new MigrationRefusedException($"The switch of migration {Record.Id} was refused before the freeze: {choice.Reason}");
        }

        return choice is null ? null : new MemoryMove(choice.Method, choice.Streamed, Link: choice.Streamed ? choice.Link : null);
    }

    /// <summary>
    /// For a pre-copy, the rounds that copy the memory while the workload still runs (not downtime), each recorded as it
    /// ends. Rounds an earlier run left are never chained to a dump of a tree that was frozen since (a cut-short dump may
    /// have reset its dirty-page tracking), so without a running tree the final dump writes all memory. A round that
    /// fails changes nothing the workload sees: its directories are removed and the switch goes on by stop-and-copy.
    /// </summary>
    private async Task PreCopyAsync(WorkloadStatus source, CancellationToken cancellationToken)
    {
        if (Record.MemoryMove is not { Method: MemoryTransfer.PreCopy } move || Record.CheckpointedProcess is not null)
        {
            return;
        }

        if (source.State != WorkloadState.Running)
        {
            if (move.PreCopyPages is not null)
            {
                await PreCopyRounds.RemoveRoundsAsync(_hosts, CheckpointImages.Of(Record), cancellationToken).ConfigureAwait(false);
                Record = _journal.Save(Record with { MemoryMove = move with { PreCopyPages = null } });
            }

            return;
        }

        var clock = Stopwatch.StartNew();
        var outcome = await PreCopyRounds.RunAsync(
            _hosts, Record, source.Process!, Report, pages => Record = _journal.Save(Record with { MemoryMove = move with { PreCopyPages = pages } }),
            cancellationToken).ConfigureAwait(false);
        if (outcome.GivenUp is { } why)
        {
            Report($"Moving {Record.Workload}'s memory by stop-and-copy instead: {why}");
            Record = _journal.Save(Record with { MemoryMove = move with { Method = MemoryTransfer.StopAndCopy, PreCopyPages = null } });
            return;
        }

        _parts = _parts with { PreCopy = clock.Elapsed, PreCopyPages = outcome.Pages };
    }

    /// <summary>Freezes or stops the source, unless an interrupted switch already did; a checkpoint taken is recorded at once.</summary>
    private async Task HaltSourceAsync(WorkloadStatus source, CancellationToken cancellationToken)
    {
        var step = Stopwatch.StartNew();
        var checkpointed = await _placement.HaltSourceAsync(Record, source, Report, cancellationToken).ConfigureAwait(false);
        if (checkpointed is not null)
        {
            Record = _journal.Save(Record with
            {
                CheckpointedProcess = checkpointed.Process,
                MemoryMove = checkpointed.LazyPages is null ? Record.MemoryMove : Record.MemoryMove! with { LazyPages = checkpointed.LazyPages },
            });
        }

        _parts = _parts with { Dump = step.Elapsed };
    }

    /// <summary>
    /// The last delta must be whole on the destination before the workload starts there; the state travels meanwhile,
    /// a halted source that must make way ends at the same time, and the service addresses move alongside, so they
    /// add no downtime and are on the destination before the workload starts there.
    /// </summary>
    private async Task ShipFinalStateAsync(CancellationToken cancellationToken)
    {
        var released = _placement.ReleaseSourceAsync(Record, Report, cancellationToken);
        var addressesMoved = _placement.MoveAddressesToDestinationAsync(Record, Report, cancellationToken);
        FinalShipment shipped;
        try
        {
            shipped = await FinalStateShipping.ShipAsync(_hosts, _placement, Record, _rounds, _progress, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            // The rollback looks at the source's tree and its addresses: the release and the move must have landed (or failed) by then.
            await PhaseFailures.IgnoreFailureAsync(released).ConfigureAwait(false);
            await PhaseFailures.IgnoreFailureAsync(addressesMoved).ConfigureAwait(false);
            throw;
        }

        try
        {
            await released.ConfigureAwait(false);
        }
        catch
        {
            await PhaseFailures.IgnoreFailureAsync(addressesMoved).ConfigureAwait(false);
            throw;
        }

        await addressesMoved.ConfigureAwait(false);
        _parts = _parts with { FinalDelta = shipped.DeltaTime, ImageTransfer = shipped.StateTime };
        Record = _journal.Save(Record with
        {
            Datasets = shipped.Datasets,
            BytesTransferred = Record.BytesTransferred + shipped.DeltaBytes + shipped.StateBytes,
        });
    }

    private async Task StartOnDestinationAsync(CancellationToken cancellationToken)
    {
        DestinationMayRun = true;
        var step = Stopwatch.StartNew();
        await _placement.StartOnDestinationAsync(Record, Report, cancellationToken).ConfigureAwait(false);
        _parts = _parts with { Restore = step.Elapsed };
    }

    private async Task CheckHealthAsync(CancellationToken cancellationToken)
    {
        var step = Stopwatch.StartNew();
        await _placement.CheckHealthOnDestinationAsync(Record, Report, cancellationToken).ConfigureAwait(false);
        _parts = _parts with { Health = step.Elapsed };
    }

    /// <summary>
    /// The holds move to the final round's snapshots only now, out of the frozen window; an interrupted switch that
    /// finds the workload running skips this, and complete, undo or abort release every hold of the migration anyway.
    /// </summary>
    private Task HoldFinalSnapshotsAsync() =>
        Task.WhenAll(_rounds.Select(round => _hosts.Replicator.HoldRoundAsync(round, CancellationToken.None)));

    /// <summary>From here on the destination owns the workload, and the source's copy may not change.</summary>
    /// <returns>The outcome written into the switch phase.</returns>
    private async Task<string> CommitAsync()
    {
        await _placement.FenceSourceAsync(Record).ConfigureAwait(false);
        var elapsed = _downtime.Elapsed;
        await _placement.KeepLogsAsync(Record, _journal).ConfigureAwait(false);
        await _placement.RemoveShippedStateAsync(Record).ConfigureAwait(false);
        var measured = !_resumedAfterFreeze && elapsed > TimeSpan.Zero;
        var outcome = measured ? "committed" : "committed after an interrupted switch (its downtime is unknown)";
        Record = _journal.Save(SwitchPhaseRecord.Close(Record, MigrationState.Switched, outcome, _clock()) with
        {
            Owner = WorkloadOwner.Destination,
            Downtime = measured ? elapsed : null,
            DowntimeParts = measured ? _parts with { MemoryTransfer = Record.MemoryMove?.Method } : null,
            MemoryMove = null,
        });
        return outcome;
    }

    /// <summary>Runs the after-commit hooks; a failing one is recorded, but the switch stays committed.</summary>
    private async Task RunAfterCommitHooksAsync(string outcome)
    {
        Report("Running the after-commit hooks");
        var hooks = await CutoverHookRunner.RunAsync(Record, CutoverStage.AfterCommit, _hosts.SourceConnection, _hosts.DestinationConnection, CancellationToken.None)
            .ConfigureAwait(false);
        if (CutoverHookRunner.FailureOf(hooks) is { } failed)
        {
            Record = _journal.Save(SwitchPhaseRecord.Close(Record, MigrationState.Switched, outcome + "; " + failed.Describe(), _clock()) with
            {
                LastError = $"The switch committed, but an after-commit hook failed: {failed.Describe()}",
            });
        }
    }
}
