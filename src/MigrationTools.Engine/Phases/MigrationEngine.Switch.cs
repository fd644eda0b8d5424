using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using MigrationTools.Engine.Hooks;
using MigrationTools.Engine.Migrations;
using MigrationTools.Engine.Network;
using MigrationTools.Engine.Placement;
using MigrationTools.Engine.Remote;
using MigrationTools.Engine.Switching;
using MigrationTools.Engine.Zfs;

namespace MigrationTools.Engine.Phases;

public sealed partial class MigrationEngine
{
    /// <summary>
    /// Cuts the workload over: before-freeze hooks; freeze (CRIU checkpoint, tree left stopped) or stop; the final
    /// delta and the checkpoint images in parallel; restore or start on the destination; health. Healthy: commit (the
    /// source's datasets become read-only, the destination owns the workload) and run the after-commit hooks.
    /// Otherwise the switch is rolled back by itself: the workload runs on the source again and the migration is
    /// Synced, ready to switch again or abort. Run again after an interruption, it finishes or rolls back.
    /// </summary>
    /// <param name="id">The migration.</param>
    /// <param name="progress">Receives progress; may be <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the switch; the engine then rolls it back before returning.</param>
    /// <returns>The record, Switched, with the downtime and its parts.</returns>
    /// <exception cref="MigrationRefusedException">The migration is not Begun, Synced or Switching, or a service address cannot move to the destination; nothing changed.</exception>
    /// <exception cref="MigrationFailedException">The switch failed; <see cref="MigrationFailedException.RolledBack"/> says whether the workload runs on the source again.</exception>
    public async Task<MigrationRecord> SwitchAsync(MigrationId id, IProgress<MigrationProgress>? progress = null, CancellationToken cancellationToken = default) =>
        await WithHostSlotsAsync(Get(id), MigrationPhase.Switch, progress, () => SwitchHeldAsync(id, progress, cancellationToken), cancellationToken).ConfigureAwait(false);

    private async Task<MigrationRecord> SwitchHeldAsync(MigrationId id, IProgress<MigrationProgress>? progress, CancellationToken cancellationToken)
    {
        var record = Get(id);
        if (record.State == MigrationState.Switched)
        {
            return record;
        }

        if (record.State is not (MigrationState.Begun or MigrationState.Synced or MigrationState.Switching))
        {
            throw new MigrationRefusedException($"Migration {record.Id} of {record.Workload} is {record.State}, so it cannot switch; {NextStep(record)}");
        }

        RefuseAfterAbort(record, "switch");

        var start = _clock();
        using var hosts = Open(record);
        var manifest = await hosts.Source.Catalog.GetAsync(record.Workload, cancellationToken).ConfigureAwait(false)
            ?? throw new MigrationRefusedException(
                $"Workload {record.Workload} is no longer declared on {record.Source}, so the switch has nothing to start from; register it there again.");
        var placement = PlacementOf(hosts, record, manifest);
        var interrupted = record.State == MigrationState.Switching;
        if (!interrupted)
        {
            await RefuseTakenAddressesAsync(hosts, record, cancellationToken).ConfigureAwait(false);
        }

        record = await OpenSwitchAsync(hosts, placement, record, start, progress, cancellationToken).ConfigureAwait(false);

        var cutover = new SwitchCutover(Journal, _clock, hosts, placement, record, interrupted, progress);
        try
        {
            return await cutover.RunAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (PhaseFailures.IsFailure(e))
        {
            record = Journal.TryLoad(record.Id) ?? record;
            throw await RollBackSwitchAsync(hosts, placement, record, cutover.DestinationMayRun, e, progress).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Checks again, before anything is frozen, that the service addresses can move: since begin, someone may have taken
    /// one on the destination's network or its interface may have gone. An interrupted switch skips this, since it may
    /// have moved them already.
    /// </summary>
    /// <exception cref="MigrationRefusedException">An address cannot move; nothing changed.</exception>
    private static async Task RefuseTakenAddressesAsync(MigrationHosts hosts, MigrationRecord record, CancellationToken cancellationToken)
    {
        var failed = (await ServiceAddressPreflight.CheckAsync(hosts, record.ServiceAddresses, cancellationToken).ConfigureAwait(false))
            .Where(check => !check.Passed)
            .ToArray();
        if (failed.Length > 0)
        {
            throw new MigrationRefusedException(
                $"The switch of migration {record.Id} was refused; nothing was changed and {record.Workload} keeps running on {record.Source}:" +
                Environment.NewLine + string.Join(Environment.NewLine, failed.Select(check => "  " + check.Message)));
        }
    }

    /// <summary>
    /// Marks the migration Switching after its before-freeze hooks passed; or, for a switch that was interrupted,
    /// waits for what its controller started on the hosts to end first.
    /// </summary>
    /// <returns>The record as saved, with the switch phase active.</returns>
    private async Task<MigrationRecord> OpenSwitchAsync(
        MigrationHosts hosts, WorkloadPlacement placement, MigrationRecord record, DateTimeOffset start, IProgress<MigrationProgress>? progress,
        CancellationToken cancellationToken)
    {
        if (record.State == MigrationState.Switching)
        {
            record = Journal.Save(record with { ActivePhase = MigrationPhase.Switch });
            await placement.WaitForLeftoversAsync(record, destinationToo: true, cancellationToken).ConfigureAwait(false);
            return record;
        }

        progress?.Report(new MigrationProgress(record.Id, MigrationPhase.Switch, "Running the before-freeze hooks"));
        var hooks = await CutoverHookRunner.RunAsync(record, CutoverStage.BeforeFreeze, hosts.SourceConnection, hosts.DestinationConnection, cancellationToken)
            .ConfigureAwait(false);
        if (CutoverHookRunner.FailureOf(hooks) is { } failed)
        {
            var message = $"The switch of migration {record.Id} did not start because a before-freeze hook failed; " +
                $"{record.Workload} keeps running on {record.Source}. {failed.Describe()}";
            throw new MigrationFailedException(message, SaveFailure(record, MigrationPhase.Switch, start, message, record.State), false, null);
        }

        return Journal.Save(MigrationStateMachine.Move(record, MigrationState.Switching, new PhaseRecord(MigrationPhase.Switch, start, null, null, 0)) with
        {
            ActivePhase = MigrationPhase.Switch,
            LastError = null,
        });
    }

    /// <summary>
    /// Puts the workload back on the source after a failed switch. Runs to the end whatever the caller's token says:
    /// leaving the workload nowhere is worse than a late return.
    /// </summary>
    private async Task<MigrationFailedException> RollBackSwitchAsync(
        MigrationHosts hosts, WorkloadPlacement placement, MigrationRecord record, bool destinationMayRun, Exception cause,
        IProgress<MigrationProgress>? progress)
    {
        var why = cause is OperationCanceledException ? "it was cancelled" : cause.Message;
        progress?.Report(new MigrationProgress(record.Id, MigrationPhase.Switch, $"Rolling back to {record.Source}: {why}"));
        await placement.KeepLogsAsync(record, Journal).ConfigureAwait(false);
        try
        {
            var destinationCleared = await placement.ReturnToSourceAsync(record, destinationMayRun, CancellationToken.None).ConfigureAwait(false);
            if (destinationCleared)
            {
                await RollBackCopiesAsync(hosts, record, CancellationToken.None).ConfigureAwait(false);
            }
            else
            {
                why += $" ({record.Destination} could not be reached; the workload never started there, and its copy is cleaned up by the next switch or abort" +
                    (record.ServiceAddresses.Count == 0 ? ")" : $"; it may still hold {ServiceAddressHost.Describe(record.ServiceAddresses)}, which the next switch's check reports)");
            }
        }
        catch (MigrationRefusedException e) when (e.InnerException is ConnectionFailedException)
        {
            // Not failed but interrupted: the destination may run the workload, so nothing more is done until it answers;
            // then running the switch again finishes it (or rolls it back).
            var paused = $"The switch of migration {record.Id} failed ({why}) and cannot be rolled back yet: {e.Message}";
            var interrupted = Journal.Save(record with { ActivePhase = null, LastError = paused, UpdatedAt = _clock() });
            return new MigrationFailedException(paused, interrupted, rolledBack: false, cause);
        }
        catch (Exception e) when (IsUnreachable(e))
        {
            // The source out of reach is no reason to give up: the workload waits there, frozen or stopped, for a
            // rollback that needs the host. Running the switch again once it answers finishes the switch or rolls it
            // back, as after a controller that died at this point.
            var paused = $"The switch of migration {record.Id} failed ({why}) and cannot be rolled back yet: {e.Message} " +
                $"{record.Workload} may be stopped on {record.Source} until then: run the switch again once both hosts answer; " +
                "it finishes the switch or rolls it back.";
            var interrupted = Journal.Save(record with { ActivePhase = null, LastError = paused, UpdatedAt = _clock() });
            return new MigrationFailedException(paused, interrupted, rolledBack: false, cause);
        }
        catch (Exception e) when (PhaseFailures.IsFailure(e))
        {
            var stuck = $"The switch of migration {record.Id} failed ({why}) and rolling it back failed too ({e.Message}). " +
                $"{record.Workload} may run on neither host: check {record.Source} and {record.Destination}, start it where its newest data is, " +
                "then record the outcome (recover the migration).";
            var failed = Journal.Save(SwitchPhaseRecord.Close(record, MigrationState.Failed, "failed; rollback failed", _clock()) with { LastError = stuck });
            return new MigrationFailedException(stuck, failed, rolledBack: false, cause);
        }

        var message = $"The switch of migration {record.Id} was rolled back: {why}. {record.Workload} runs on {record.Source} again and the copy " +
            $"on {record.Destination} is still in step; fix the cause and switch again, or abort the migration.";
        var saved = Journal.Save(SwitchPhaseRecord.Close(record, MigrationState.Synced, "rolled back: " + why, _clock()) with
        {
            Owner = WorkloadOwner.Source,
            CheckpointedProcess = null,
            MemoryMove = null,
            LastError = message,
        });
        return new MigrationFailedException(message, saved, rolledBack: true, cause);
    }

    /// <summary>Whether <paramref name="error"/>, or what it wraps, is a host that could not be reached.</summary>
    private static bool IsUnreachable(Exception error)
    {
        for (var e = error; e is not null; e = e.InnerException)
        {
            if (e is ConnectionFailedException)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Returns every copy on the destination to its newest snapshot of this migration (the record may not know the
    /// newest, if the switch failed right after receiving it), dropping what the workload wrote there since, so that
    /// the next sync continues incrementally.
    /// </summary>
    private static async Task RollBackCopiesAsync(MigrationHosts hosts, MigrationRecord record, CancellationToken cancellationToken)
    {
        foreach (var dataset in record.Datasets)
        {
            var tree = await hosts.Destination.Zfs.ListAsync(dataset.Target, recursive: true, cancellationToken).ConfigureAwait(false);
            foreach (var copy in tree.Datasets)
            {
                var newest = copy.Snapshots
                    .Where(snapshot => MigrationSnapshotNames.IsOurs(snapshot.Name, record.Id.Value))
                    .OrderByDescending(snapshot => snapshot.CreateTxg)
                    .FirstOrDefault();
                if (newest is not null)
                {
                    await hosts.Destination.Zfs.RollbackAsync(newest.Name, cancellationToken).ConfigureAwait(false);
                }
            }
        }
    }
}
