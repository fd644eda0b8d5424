using System;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using MigrationTools.Engine.Remote;
using MigrationTools.Engine.Zfs;

namespace MigrationTools.Engine.Migrations;

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
    /// <exception cref="MigrationRefusedException">The migration is not Switched; nothing changed.</exception>
    /// <exception cref="MigrationFailedException">A step failed; the workload keeps running on the destination.</exception>
    public async Task<MigrationRecord> CompleteAsync(
        MigrationId id, bool keepSourceDatasets = false, IProgress<MigrationProgress>? progress = null, CancellationToken cancellationToken = default)
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

        var start = _clock();
        record = Journal.Save(record with { ActivePhase = MigrationPhase.Complete, LastError = null });
        using var hosts = Open(record);
        void Report(string activity) => progress?.Report(new MigrationProgress(record.Id, MigrationPhase.Complete, activity));
        try
        {
            Report($"Ending the frozen tree on {record.Source}");
            await hosts.Source.Runtime.KillAsync(record.Workload, cancellationToken).ConfigureAwait(false);
            var images = ImagesOf(record);
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
    public async Task<MigrationRecord> UndoAsync(MigrationId id, IProgress<MigrationProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var record = Get(id);
        if (record.State == MigrationState.RolledBack)
        {
            return record;
        }

        if (record.State is not (MigrationState.Switched or MigrationState.Switching))
        {
            throw new MigrationRefusedException(
                $"Migration {record.Id} of {record.Workload} is {record.State}; undo reverses a switch, so {NextStep(record)}");
        }

        var start = _clock();
        var switchedAt = record.Phases.LastOrDefault(p => p.Phase == MigrationPhase.Switch)?.End;
        using var hosts = Open(record);

        // Undo first stops the workload on the destination: with the source out of reach it would then run nowhere.
        try
        {
            await hosts.SourceConnection.RunAsync(Reachable, cancellationToken).ConfigureAwait(false);
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

    /// <summary>
    /// Abandons a migration before its switch: removes the destination's copy and the migration's snapshots, holds,
    /// claim and marks. The workload keeps running on the source, untouched.
    /// </summary>
    /// <param name="id">The migration.</param>
    /// <param name="progress">Receives progress; may be <see langword="null"/>.</param>
    /// <param name="cancellationToken">Stops the cleanup; abort again finishes it.</param>
    /// <returns>The record, Aborted.</returns>
    /// <exception cref="MigrationRefusedException">The migration has switched or is switching; nothing changed.</exception>
    /// <exception cref="MigrationFailedException">A step failed; run abort again.</exception>
    public async Task<MigrationRecord> AbortAsync(MigrationId id, IProgress<MigrationProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var record = Get(id);
        if (record.State == MigrationState.Aborted)
        {
            return record;
        }

        if (record.State is not (MigrationState.Created or MigrationState.Begun or MigrationState.Synced))
        {
            throw new MigrationRefusedException(
                $"Migration {record.Id} of {record.Workload} is {record.State}; abort is for migrations that have not switched, so {NextStep(record)}");
        }

        var start = _clock();
        record = Journal.Save(record with { ActivePhase = MigrationPhase.Abort, LastError = null });
        using var hosts = Open(record);
        try
        {
            progress?.Report(new MigrationProgress(record.Id, MigrationPhase.Abort, $"Removing the copy on {record.Destination}"));
            foreach (var dataset in record.Datasets)
            {
                // Only a copy this migration made is destroyed: it carries one of its snapshots.
                var copy = (await hosts.Destination.Zfs.ListAsync(dataset.Target, recursive: false, cancellationToken).ConfigureAwait(false)).Find(dataset.Target);
                var ours = copy is not null && copy.Snapshots.Any(s => MigrationSnapshotNames.IsOurs(s.Name, record.Id.Value));
                await hosts.Replicator.ReleaseAsync(ReplicationFor(record, dataset), destroySnapshots: true, cancellationToken).ConfigureAwait(false);
                if (ours)
                {
                    await hosts.Destination.Zfs.DestroyRecursiveAsync(dataset.Target, cancellationToken).ConfigureAwait(false);
                }

                await ClearMarkAsync(hosts.Source.Zfs, dataset.Source, cancellationToken).ConfigureAwait(false);
            }

            // A switch that rolled back past an unreachable destination may have left the declaration there.
            if (await hosts.Source.Catalog.GetAsync(record.Workload, cancellationToken).ConfigureAwait(false) is { } manifest)
            {
                await PlacementOf(hosts, record, manifest).UndeclareOnDestinationAsync(cancellationToken).ConfigureAwait(false);
            }

            await MigrationClaim.ReleaseAsync(hosts.SourceConnection, Paths, record.Workload, record.Id, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (PhaseFailures.IsFailure(e))
        {
            throw Fail(record, MigrationPhase.Abort, start, e, $"{record.Workload} keeps running on {record.Source}; run abort again once the cause is fixed.");
        }

        return Journal.Save(MigrationStateMachine.Move(
            record, MigrationState.Aborted, new PhaseRecord(MigrationPhase.Abort, start, _clock(), $"{record.Workload} stays on {record.Source}", 0)) with
        {
            ActivePhase = null,
        });
    }

    private static async Task ReleaseSnapshotsAsync(MigrationHosts hosts, MigrationRecord record, CancellationToken cancellationToken)
    {
        foreach (var dataset in record.Datasets)
        {
            await hosts.Replicator.ReleaseAsync(ReplicationFor(record, dataset), destroySnapshots: true, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Removes the migration mark from a dataset (replication carries it to the copy too), if the dataset exists.</summary>
    private static async Task ClearMarkAsync(ZfsHost host, DatasetName dataset, CancellationToken cancellationToken)
    {
        if (await host.ExistsAsync(dataset, cancellationToken).ConfigureAwait(false))
        {
            await host.InheritUserPropertyAsync(dataset, MigrationClaim.PropertyName, recursive: true, cancellationToken).ConfigureAwait(false);
        }
    }
}
