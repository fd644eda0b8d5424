using System;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using MigrationTools.Engine.Migrations;
using MigrationTools.Engine.Placement;
using MigrationTools.Engine.Remote;
using MigrationTools.Engine.Switching;
using MigrationTools.Engine.Workloads;

namespace MigrationTools.Engine.Phases;

public sealed partial class MigrationEngine
{
    /// <summary>
    /// Reverses a switch before complete. With <paramref name="keepChanges"/>, the workload moves back to the source as
    /// it runs now, keeping what it changed on the destination: checkpointed there (criu) or stopped (restart), its
    /// datasets' changes sent back, restored or started on the source; then the destination's copy is removed. Without,
    /// this is <see cref="UndoAsync(MigrationId, IProgress{MigrationProgress}, CancellationToken)"/>, which discards them.
    /// </summary>
    /// <param name="id">The migration.</param>
    /// <param name="keepChanges">Move the workload back as it runs now instead of discarding what it did on the destination.</param>
    /// <param name="progress">Receives progress; may be <see langword="null"/>.</param>
    /// <param name="cancellationToken">Stops the cleanup after the workload runs on the source again; undo again finishes it.</param>
    /// <returns>The record, RolledBack.</returns>
    /// <exception cref="MigrationRefusedException">
    /// The migration is not Switched (keeping changes needs a committed switch), or a host cannot be reached; nothing changed.
    /// </exception>
    /// <exception cref="MigrationFailedException">
    /// A step failed; the record says what is where. The record stays Switched; when it no longer names an undo under way
    /// (<see cref="MigrationRecord.Return"/>), the workload runs on the destination as before.
    /// </exception>
    public Task<MigrationRecord> UndoAsync(
        MigrationId id, bool keepChanges, IProgress<MigrationProgress>? progress = null, CancellationToken cancellationToken = default) =>
        keepChanges
            ? WithHostSlotsAsync(Get(id), MigrationPhase.Undo, progress, () => UndoKeepingChangesAsync(id, progress, cancellationToken), cancellationToken)
            : UndoAsync(id, progress, cancellationToken);

    private async Task<MigrationRecord> UndoKeepingChangesAsync(MigrationId id, IProgress<MigrationProgress>? progress, CancellationToken cancellationToken)
    {
        var record = Get(id);
        if (record.State == MigrationState.RolledBack)
        {
            return record;
        }

        if (record.State != MigrationState.Switched)
        {
            throw new MigrationRefusedException(
                $"Migration {record.Id} of {record.Workload} is {record.State}; an undo that keeps changes moves back a workload that a " +
                $"committed switch runs on {record.Destination}, so {NextStep(record)}");
        }

        var start = _clock();
        var switchedAt = record.Phases.LastOrDefault(p => p.Phase == MigrationPhase.Switch)?.End;
        using var hosts = Open(record);
        await RefuseUnreachableAsync(record, hosts, cancellationToken).ConfigureAwait(false);
        var manifest = await hosts.Source.Catalog.GetAsync(record.Workload, cancellationToken).ConfigureAwait(false)
            ?? await hosts.Destination.Catalog.GetAsync(record.Workload, cancellationToken).ConfigureAwait(false)
            ?? throw new MigrationRefusedException($"Workload {record.Workload} is declared on neither host any more; register it on {record.Source} and undo again.");
        var placement = PlacementOf(hosts, record, manifest);
        if (record.Return is null)
        {
            await RefuseUnreturnableAsync(record, placement, cancellationToken).ConfigureAwait(false);
        }

        // From here the return under way says where the workload is; it replaces a discarding undo's mark.
        record = Journal.Save(record with
        {
            ActivePhase = MigrationPhase.Undo, LastError = null, Return = record.Return ?? new WorkloadReturn(null), LeavingDestination = false,
        });
        progress?.Report(new MigrationProgress(record.Id, MigrationPhase.Undo, $"Moving {record.Workload} back to {record.Source} with its changes"));
        var cutover = new ReturnCutover(Journal, hosts, placement, manifest, record, progress);
        try
        {
            record = await cutover.RunAsync().ConfigureAwait(false);

            progress?.Report(new MigrationProgress(record.Id, MigrationPhase.Undo, $"Removing the copy on {record.Destination}"));
            await placement.UndeclareOnDestinationAsync(cancellationToken).ConfigureAwait(false);
            await ReleaseSnapshotsAsync(hosts, record, cancellationToken).ConfigureAwait(false);
            foreach (var dataset in record.Datasets)
            {
                await hosts.Destination.Zfs.DestroyRecursiveAsync(dataset.Target, cancellationToken).ConfigureAwait(false);
                await ClearMarkAsync(hosts.Source.Zfs, dataset.Source, cancellationToken).ConfigureAwait(false);
            }

            foreach (var images in new[] { CheckpointImages.Of(record), ReturnReplication.ImagesOf(record) })
            {
                await hosts.SourceCriu.RemoveImagesAsync(images, cancellationToken).ConfigureAwait(false);
                await hosts.DestinationCriu.RemoveImagesAsync(images, cancellationToken).ConfigureAwait(false);
            }

            await MigrationClaim.ReleaseAsync(hosts.SourceConnection, Paths, record.Workload, record.Id, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (PhaseFailures.IsFailure(e))
        {
            var where = (Journal.TryLoad(record.Id) ?? cutover.Record).Return is null
                ? $"{record.Workload} keeps running on {record.Destination} with its changes; undo again once the cause is fixed."
                : "Check where the workload runs, then undo again keeping changes: it continues where this run stopped.";
            throw Fail(record, MigrationPhase.Undo, start, e, where);
        }

        var since = switchedAt is { } at ? " since " + at.ToString("u", CultureInfo.InvariantCulture) : "";
        var outcome = $"{record.Workload} runs on {record.Source} again as it ran on {record.Destination}; what it changed there{since} was kept";
        return Journal.Save(MigrationStateMachine.Move(record, MigrationState.RolledBack, new PhaseRecord(MigrationPhase.Undo, start, _clock(), outcome, cutover.BytesSent)) with
        {
            ActivePhase = null,
            Owner = WorkloadOwner.Source,
            CheckpointedProcess = null,
            Return = null,
        });
    }

    /// <summary>Both hosts must answer before anything changes: the workload leaves one for the other.</summary>
    private static async Task RefuseUnreachableAsync(MigrationRecord record, MigrationHosts hosts, CancellationToken cancellationToken)
    {
        foreach (var (connection, name) in new[] { (hosts.SourceConnection, record.Source), (hosts.DestinationConnection, record.Destination) })
        {
            try
            {
                await connection.RunAsync(MigrationHosts.Reachable, cancellationToken).ConfigureAwait(false);
            }
            catch (RemoteException e)
            {
                throw new MigrationRefusedException(
                    $"Undo of migration {record.Id} keeping changes needs {name}, which cannot be reached ({e.Message}). Nothing was changed: " +
                    $"{record.Workload} keeps running on {record.Destination}. Undo again once {name} answers.", e);
            }
        }
    }

    /// <summary>
    /// Before the first run changes anything: the source must not run the workload already, and in criu mode the
    /// destination must run it (or hold it frozen), since that is what moves back.
    /// </summary>
    private static async Task RefuseUnreturnableAsync(MigrationRecord record, WorkloadPlacement placement, CancellationToken cancellationToken)
    {
        var source = await placement.SourceStatusAsync(cancellationToken).ConfigureAwait(false);
        if (source.State == WorkloadState.Running)
        {
            throw new MigrationRefusedException(
                $"{record.Workload} is running on {record.Source}, which the switch left frozen or stopped; it would run twice. Nothing was " +
                $"changed. Find out who started it there and stop one of the two, then undo again.");
        }

        if (placement.Strategy.Mode == CheckpointMode.Criu &&
            (await placement.DestinationStatusAsync(cancellationToken).ConfigureAwait(false)).State == WorkloadState.Stopped)
        {
            throw new MigrationRefusedException(
                $"{record.Workload} is not running on {record.Destination}, so there is nothing to move back as it runs. Nothing was changed. " +
                "Start it there and undo again keeping changes, or undo without keeping changes.");
        }
    }
}
