using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using MigrationTools.Engine.Migrations;
using MigrationTools.Engine.Zfs;

namespace MigrationTools.Engine.Phases;

public sealed partial class MigrationEngine
{
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
    public async Task<MigrationRecord> AbortAsync(MigrationId id, IProgress<MigrationProgress>? progress = null, CancellationToken cancellationToken = default) =>
        await WithHostSlotsAsync(Get(id), MigrationPhase.Abort, progress, () => AbortHeldAsync(id, progress, cancellationToken), cancellationToken).ConfigureAwait(false);

    private async Task<MigrationRecord> AbortHeldAsync(MigrationId id, IProgress<MigrationProgress>? progress, CancellationToken cancellationToken)
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
                // Only a copy this migration made is destroyed: it carries one of its snapshots, or, once an abort that
                // stopped part way destroyed those, the migration's mark its stream carried.
                var copy = (await hosts.Destination.Zfs.ListAsync(dataset.Target, recursive: false, cancellationToken).ConfigureAwait(false)).Find(dataset.Target);
                var ours = copy is not null
                    && (copy.Snapshots.Any(s => MigrationSnapshotNames.IsOurs(s.Name, record.Id.Value))
                        || await CarriesMarkAsync(hosts.Destination.Zfs, dataset.Target, record.Id, cancellationToken).ConfigureAwait(false));
                await hosts.Replicator.ReleaseAsync(ReplicationRequests.For(record, dataset), destroySnapshots: true, cancellationToken).ConfigureAwait(false);
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

    /// <summary>Whether the dataset carries this migration's mark itself (set there, or received with a stream).</summary>
    private static async Task<bool> CarriesMarkAsync(ZfsHost host, DatasetName dataset, MigrationId id, CancellationToken cancellationToken)
    {
        var mark = await host.GetUserPropertyAsync(dataset, MigrationClaim.PropertyName, cancellationToken).ConfigureAwait(false);
        return mark is { Source: not ZfsPropertySource.Inherited } && mark.Value == id.Value;
    }
}
