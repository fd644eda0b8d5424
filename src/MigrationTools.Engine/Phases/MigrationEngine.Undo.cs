using System;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using MigrationTools.Engine.Migrations;
using MigrationTools.Engine.Remote;

namespace MigrationTools.Engine.Phases;

public sealed partial class MigrationEngine
{
    /// <summary>
    /// Reverses a switch before complete: stops the workload on the destination and runs it on the source again
    /// (resumed, restored from its checkpoint, or started), then removes the destination's copy and the migration's
    /// snapshots. What the workload changed on the destination since the switch is discarded.
    /// </summary>
    /// <param name="id">The migration.</param>
    /// <param name="progress">Receives progress; may be <see langword="null"/>.</param>
    /// <param name="cancellationToken">Stops the cleanup after the workload runs on the source again; undo again finishes it.</param>
    /// <returns>The record, RolledBack.</returns>
    /// <exception cref="MigrationRefusedException">The migration is not Switched or Switching; nothing changed.</exception>
    /// <exception cref="MigrationFailedException">A step failed; the record says what is where.</exception>
    public async Task<MigrationRecord> UndoAsync(MigrationId id, IProgress<MigrationProgress>? progress = null, CancellationToken cancellationToken = default) =>
        await WithHostSlotsAsync(Get(id), MigrationPhase.Undo, progress, () => UndoHeldAsync(id, progress, cancellationToken), cancellationToken).ConfigureAwait(false);

    private async Task<MigrationRecord> UndoHeldAsync(MigrationId id, IProgress<MigrationProgress>? progress, CancellationToken cancellationToken)
    {
        var record = Get(id);
        if (record.State == MigrationState.RolledBack)
        {
            return record;
        }

        // An undo keeping changes, under way, is continued: the source may already hold the destination's changes.
        if (record.Return is not null)
        {
            return await UndoKeepingChangesAsync(id, progress, cancellationToken).ConfigureAwait(false);
        }

        if (record.State is not (MigrationState.Switched or MigrationState.Switching))
        {
            throw new MigrationRefusedException(
                $"Migration {record.Id} of {record.Workload} is {record.State}; undo reverses a switch, so {NextStep(record)}");
        }

        // Complete is the point of no return: it ends the source's frozen tree and removes its checkpoint before anything
        // else, so once one began, an undo would stop the workload on the destination with nothing to resume on the source.
        if (Began(record, MigrationPhase.Complete))
        {
            throw new MigrationRefusedException(
                $"Migration {record.Id} of {record.Workload} can no longer be undone: a complete of it began, which ends what the source " +
                $"kept to go back to. Nothing was changed: {record.Workload} keeps running on {record.Destination}; run complete again to finish it.");
        }

        var start = _clock();
        var switchedAt = record.Phases.LastOrDefault(p => p.Phase == MigrationPhase.Switch)?.End;
        using var hosts = Open(record);

        // Undo first stops the workload on the destination: with the source out of reach it would then run nowhere.
        try
        {
            await hosts.SourceConnection.RunAsync(MigrationHosts.Reachable, cancellationToken).ConfigureAwait(false);
        }
        catch (RemoteException e)
        {
            throw new MigrationRefusedException(
                $"Undo of migration {record.Id} needs {record.Source}, which cannot be reached ({e.Message}). Nothing was changed: " +
                $"{record.Workload} keeps running on {record.Destination}. Undo again once {record.Source} answers, or complete the migration " +
                "(its source-side cleanup then waits for that host too).", e);
        }

        record = Journal.Save(record with { ActivePhase = MigrationPhase.Undo, LastError = null });
        try
        {
            var manifest = await hosts.Source.Catalog.GetAsync(record.Workload, cancellationToken).ConfigureAwait(false)
                ?? await hosts.Destination.Catalog.GetAsync(record.Workload, cancellationToken).ConfigureAwait(false)
                ?? throw new MigrationRefusedException($"Workload {record.Workload} is declared on neither host any more; register it on {record.Source} and undo again.");
            progress?.Report(new MigrationProgress(record.Id, MigrationPhase.Undo, $"Moving {record.Workload} back to {record.Source}"));

            // Recorded before the destination is touched: a failure from here on may leave the workload stopped there, and
            // only undo, not complete, may follow (complete would end what the source kept).
            record = Journal.Save(record with { LeavingDestination = true });

            // Once begun, putting the workload back runs to its end: stopping half-way could leave it running nowhere.
            await PlacementOf(hosts, record, manifest).ReturnToSourceAsync(record, destinationMayRun: true, CancellationToken.None).ConfigureAwait(false);
            record = Journal.Save(record with { Owner = WorkloadOwner.Source });

            progress?.Report(new MigrationProgress(record.Id, MigrationPhase.Undo, $"Removing the copy on {record.Destination}"));
            await ReleaseSnapshotsAsync(hosts, record, cancellationToken).ConfigureAwait(false);
            foreach (var dataset in record.Datasets)
            {
                await hosts.Destination.Zfs.DestroyRecursiveAsync(dataset.Target, cancellationToken).ConfigureAwait(false);
                await ClearMarkAsync(hosts.Source.Zfs, dataset.Source, cancellationToken).ConfigureAwait(false);
            }

            await MigrationClaim.ReleaseAsync(hosts.SourceConnection, Paths, record.Workload, record.Id, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (PhaseFailures.IsFailure(e))
        {
            throw Fail(record, MigrationPhase.Undo, start, e, "Check where the workload runs, then run undo again.");
        }

        var since = switchedAt is { } at ? " since " + at.ToString("u", CultureInfo.InvariantCulture) : "";
        var outcome = $"{record.Workload} runs on {record.Source} again; what it changed on {record.Destination}{since} was discarded";
        return Journal.Save(MigrationStateMachine.Move(record, MigrationState.RolledBack, new PhaseRecord(MigrationPhase.Undo, start, _clock(), outcome, 0)) with
        {
            ActivePhase = null,
            Owner = WorkloadOwner.Source,
            CheckpointedProcess = null,
        });
    }
}
