using System;
using System.Threading;
using System.Threading.Tasks;
using MigrationTools.Engine.Migrations;

namespace MigrationTools.Engine.Phases;

public sealed partial class MigrationEngine
{
    /// <summary>Sends what changed since the last copy, while the workload keeps running. Repeatable.</summary>
    /// <param name="id">The migration.</param>
    /// <param name="progress">Receives progress; may be <see langword="null"/>.</param>
    /// <param name="cancellationToken">Stops the copy; the next sync continues from where the destination is.</param>
    /// <returns>The record, Synced.</returns>
    /// <exception cref="MigrationRefusedException">The migration is not Begun or Synced; nothing changed.</exception>
    /// <exception cref="MigrationFailedException">The copy failed; the record says why.</exception>
    public async Task<MigrationRecord> SyncAsync(MigrationId id, IProgress<MigrationProgress>? progress = null, CancellationToken cancellationToken = default) =>
        await SyncRoundAsync(id, progress, null, cancellationToken).ConfigureAwait(false);

    private async Task<MigrationRecord> SyncRoundAsync(
        MigrationId id, IProgress<MigrationProgress>? progress, int? round, CancellationToken cancellationToken)
    {
        var record = Get(id);
        if (record.State is not (MigrationState.Begun or MigrationState.Synced))
        {
            throw new MigrationRefusedException($"Migration {record.Id} of {record.Workload} is {record.State}, so it cannot sync; {NextStep(record)}");
        }

        RefuseAfterAbort(record, "sync");

        return await WithHostSlotsAsync(record, MigrationPhase.Sync, progress, async () =>
        {
            // Read again once the slots are held: another shell may have moved the migration on meanwhile.
            var current = Get(id);
            if (current.State is not (MigrationState.Begun or MigrationState.Synced))
            {
                throw new MigrationRefusedException($"Migration {current.Id} of {current.Workload} is {current.State}, so it cannot sync; {NextStep(current)}");
            }

            RefuseAfterAbort(current, "sync");

            return await ReplicatePhaseAsync(current, MigrationPhase.Sync, MigrationState.Synced, progress, round, cancellationToken).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
    }
}
