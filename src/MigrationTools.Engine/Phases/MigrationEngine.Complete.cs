using System;
using System.Threading;
using System.Threading.Tasks;
using MigrationTools.Engine.Migrations;
using MigrationTools.Engine.Placement;
using MigrationTools.Engine.Remote;
using MigrationTools.Engine.Workloads;

namespace MigrationTools.Engine.Phases;

public sealed partial class MigrationEngine
{
    /// <summary>
    /// Finalizes a switched migration: ends the frozen source tree, removes the checkpoint images, the migration's
    /// snapshots and holds on both hosts, the workload's declaration and claim on the source, and destroys the
    /// source's datasets unless <paramref name="keepSourceDatasets"/> (then they stay, read-only). Destructive.
    /// </summary>
    /// <param name="id">The migration.</param>
    /// <param name="keepSourceDatasets">Keep the source's datasets instead of destroying them.</param>
    /// <param name="progress">Receives progress; may be <see langword="null"/>.</param>
    /// <param name="cancellationToken">Stops the cleanup; running complete again finishes it.</param>
    /// <returns>The record, Completed.</returns>
    /// <exception cref="MigrationRefusedException">
    /// The migration is not Switched, or an undo of it began taking the workload off the destination or left it not running
    /// there; nothing changed.
    /// </exception>
    /// <exception cref="MigrationFailedException">A step failed; the workload keeps running on the destination.</exception>
    public async Task<MigrationRecord> CompleteAsync(
        MigrationId id, bool keepSourceDatasets = false, IProgress<MigrationProgress>? progress = null, CancellationToken cancellationToken = default) =>
        await WithHostSlotsAsync(Get(id), MigrationPhase.Complete, progress, () => CompleteHeldAsync(id, keepSourceDatasets, progress, cancellationToken), cancellationToken).ConfigureAwait(false);

    private async Task<MigrationRecord> CompleteHeldAsync(
        MigrationId id, bool keepSourceDatasets, IProgress<MigrationProgress>? progress, CancellationToken cancellationToken)
    {
        var record = Get(id);
        if (record.State == MigrationState.Completed)
        {
            return record;
        }

        if (record.State != MigrationState.Switched)
        {
            throw new MigrationRefusedException($"Migration {record.Id} of {record.Workload} is {record.State}, so it cannot complete; {NextStep(record)}");
        }

        if (record.Return is not null)
        {
            throw new MigrationRefusedException(
                $"An undo of migration {record.Id} keeping changes is under way, and {record.Source} may run {record.Workload} already; undo again to finish it.");
        }

        if (record.LeavingDestination)
        {
            throw new MigrationRefusedException(
                $"Migration {record.Id} of {record.Workload} cannot complete: an undo of it began taking {record.Workload} off {record.Destination}, " +
                $"where it may be stopped now, and completing would end what {record.Source} kept to go back to. Nothing was changed; run undo " +
                $"again to finish returning {record.Workload} to {record.Source}.");
        }

        using var hosts = Open(record);
        await RefuseUnlessRunningOnDestinationAsync(hosts, record, cancellationToken).ConfigureAwait(false);

        var start = _clock();
        record = Journal.Save(record with { ActivePhase = MigrationPhase.Complete, LastError = null });
        void Report(string activity) => progress?.Report(new MigrationProgress(record.Id, MigrationPhase.Complete, activity));
        try
        {
            Report($"Ending the frozen tree on {record.Source}");
            await hosts.Source.Runtime.KillAsync(record.Workload, cancellationToken).ConfigureAwait(false);
            // Before the images go: a --tcp-established dump's log names the network lock it left.
            await CheckpointStrategies.For(record.CheckpointMode).ClearEndedSourceAsync(hosts, record, cancellationToken).ConfigureAwait(false);
            var images = CheckpointImages.Of(record);
            await hosts.SourceCriu.RemoveImagesAsync(images, cancellationToken).ConfigureAwait(false);
            await hosts.DestinationCriu.RemoveImagesAsync(images, cancellationToken).ConfigureAwait(false);

            Report("Removing the migration's snapshots and holds");
            await ReleaseSnapshotsAsync(hosts, record, cancellationToken).ConfigureAwait(false);
            foreach (var dataset in record.Datasets)
            {
                await ClearMarkAsync(hosts.Destination.Zfs, dataset.Target, cancellationToken).ConfigureAwait(false);
                if (keepSourceDatasets)
                {
                    await ClearMarkAsync(hosts.Source.Zfs, dataset.Source, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    Report($"Destroying {dataset.Source} on {record.Source}");
                    await hosts.Source.Zfs.DestroyRecursiveAsync(dataset.Source, cancellationToken).ConfigureAwait(false);
                }
            }

            await hosts.Source.Catalog.UnregisterAsync(record.Workload, cancellationToken).ConfigureAwait(false);
            await MigrationClaim.ReleaseAsync(hosts.SourceConnection, Paths, record.Workload, record.Id, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (PhaseFailures.IsFailure(e))
        {
            throw Fail(record, MigrationPhase.Complete, start, e,
                $"{record.Workload} keeps running on {record.Destination}; run complete again once the cause is fixed.");
        }

        var outcome = keepSourceDatasets
            ? $"source datasets kept read-only on {record.Source}"
            : $"source datasets destroyed on {record.Source}";
        return Journal.Save(MigrationStateMachine.Move(record, MigrationState.Completed, new PhaseRecord(MigrationPhase.Complete, start, _clock(), outcome, 0)) with
        {
            ActivePhase = null,
        });
    }

    /// <summary>
    /// After an undo began, completes only a workload that runs on the destination: a failed undo may have left it
    /// stopped there, or running on the source, and complete would end the only copy that can run. The record's
    /// <see cref="MigrationRecord.LeavingDestination"/> comes first, since this read can race a stop still in flight; an
    /// undo keeping changes that put the workload back on the destination by itself passes both.
    /// </summary>
    private static async Task RefuseUnlessRunningOnDestinationAsync(MigrationHosts hosts, MigrationRecord record, CancellationToken cancellationToken)
    {
        if (!Began(record, MigrationPhase.Undo))
        {
            return;
        }

        WorkloadState state;
        try
        {
            state = (await hosts.Destination.Runtime.GetStatusAsync(record.Workload, cancellationToken).ConfigureAwait(false)).State;
        }
        catch (RemoteException e)
        {
            throw new MigrationRefusedException(
                $"Migration {record.Id} of {record.Workload} cannot complete yet: an undo of it began, and whether {record.Workload} still runs on " +
                $"{record.Destination} cannot be read ({e.Message}). Nothing was changed; complete again once {record.Destination} answers, or undo again.", e);
        }

        if (state != WorkloadState.Running)
        {
            throw new MigrationRefusedException(
                $"Migration {record.Id} of {record.Workload} cannot complete: an undo of it began and {record.Workload} is {state.ToString().ToLowerInvariant()} " +
                $"on {record.Destination}, so completing would end what {record.Source} kept to go back to. Nothing was changed; run undo again " +
                $"to finish returning {record.Workload} to {record.Source}.");
        }
    }
}
