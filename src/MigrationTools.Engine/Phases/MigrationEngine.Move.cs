using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using MigrationTools.Engine.Migrations;

namespace MigrationTools.Engine.Phases;

public sealed partial class MigrationEngine
{
    /// <summary>
    /// Moves a workload in one call: begin, sync rounds until the delta is small enough or stops shrinking (each
    /// round reported), switch, and complete when <see cref="MoveOptions.Complete"/>. Run again after an
    /// interruption, it continues the workload's migration from where it stands.
    /// </summary>
    /// <param name="request">The migration.</param>
    /// <param name="options">Convergence and completion.</param>
    /// <param name="progress">Receives progress; may be <see langword="null"/>.</param>
    /// <param name="cancellationToken">Stops the move; a cancelled switch is rolled back first.</param>
    /// <returns>The record, Switched or Completed.</returns>
    /// <exception cref="MigrationPlanFailedException">The request carries out a plan that failed; nothing changed.</exception>
    /// <exception cref="MigrationRefusedException">The move was refused; nothing changed.</exception>
    /// <exception cref="MigrationFailedException">A phase failed; the record says where the workload runs.</exception>
    public async Task<MigrationRecord> MoveAsync(
        MigrationRequest request, MoveOptions? options = null, IProgress<MigrationProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        if (request is null)
        {
            throw new ArgumentNullException(nameof(request));
        }

        options ??= new MoveOptions();
        RefuseFailedPlan(request);
        var record = Journal.FindActive(request.Workload);
        if (record is not null && (record.Source != request.SourceHost.ToString() || record.Destination != request.DestinationHost.ToString()))
        {
            throw new MigrationRefusedException(
                $"Workload {request.Workload} already has migration {record.Id} from {record.Source} to {record.Destination} ({record.State}); {NextStep(record)}");
        }

        if (record is null || record.State == MigrationState.Created)
        {
            record = await BeginAsync(request, progress, cancellationToken).ConfigureAwait(false);
        }

        if (record.State is MigrationState.Begun or MigrationState.Synced)
        {
            record = await ConvergeAsync(record, options, progress, cancellationToken).ConfigureAwait(false);
        }

        if (record.State is MigrationState.Synced or MigrationState.Switching)
        {
            record = await SwitchAsync(record.Id, progress, cancellationToken).ConfigureAwait(false);
        }

        if (options.Complete && record.State == MigrationState.Switched)
        {
            record = await CompleteAsync(record.Id, options.KeepSourceDatasets, progress, cancellationToken).ConfigureAwait(false);
        }

        return record.State is MigrationState.Switched or MigrationState.Completed
            ? record
            : throw new MigrationRefusedException($"Migration {record.Id} of {record.Workload} is {record.State}; {NextStep(record)}");
    }

    /// <summary>Sync rounds until one sends at most <see cref="MoveOptions.ConvergedBytes"/>, or no less than the one before.</summary>
    private async Task<MigrationRecord> ConvergeAsync(
        MigrationRecord record, MoveOptions options, IProgress<MigrationProgress>? progress, CancellationToken cancellationToken)
    {
        long? previous = null;
        for (var round = 1; round <= options.MaxSyncRounds; round++)
        {
            record = await SyncRoundAsync(record.Id, progress, round, cancellationToken).ConfigureAwait(false);
            var sent = record.Phases.Last(p => p.Phase == MigrationPhase.Sync).Bytes;
            string verdict;
            var done = true;
            if (sent <= options.ConvergedBytes)
            {
                verdict = $"at most {Transfer.ByteSize.Format(options.ConvergedBytes)}: converged";
            }
            else if (previous is { } before && sent >= before)
            {
                verdict = $"no less than the round before ({Transfer.ByteSize.Format(before)}): the delta stopped shrinking";
            }
            else if (round == options.MaxSyncRounds)
            {
                verdict = $"the last of {options.MaxSyncRounds} rounds";
            }
            else
            {
                verdict = "still shrinking";
                done = false;
            }

            progress?.Report(new MigrationProgress(record.Id, MigrationPhase.Sync,
                $"Sync round {round} sent {Transfer.ByteSize.Format(sent)}, {verdict}", null, round));
            if (done)
            {
                break;
            }

            previous = sent;
        }

        return record;
    }
}
