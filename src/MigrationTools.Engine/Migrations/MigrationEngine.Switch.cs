using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using MigrationTools.Engine.Criu;
using MigrationTools.Engine.Remote;
using MigrationTools.Engine.Replication;
using MigrationTools.Engine.Transfer;
using MigrationTools.Engine.Workloads;
using MigrationTools.Engine.Zfs;

namespace MigrationTools.Engine.Migrations;

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
    /// <exception cref="MigrationRefusedException">The migration is not Begun, Synced or Switching; nothing changed.</exception>
    /// <exception cref="MigrationFailedException">The switch failed; <see cref="MigrationFailedException.RolledBack"/> says whether the workload runs on the source again.</exception>
    public async Task<MigrationRecord> SwitchAsync(MigrationId id, IProgress<MigrationProgress>? progress = null, CancellationToken cancellationToken = default)
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

        var start = _clock();
        using var hosts = Open(record);
        var manifest = await hosts.Source.Catalog.GetAsync(record.Workload, cancellationToken).ConfigureAwait(false)
            ?? throw new MigrationRefusedException(
                $"Workload {record.Workload} is no longer declared on {record.Source}, so the switch has nothing to start from; register it there again.");

        var interrupted = record.State == MigrationState.Switching;
        if (!interrupted)
        {
            progress?.Report(new MigrationProgress(record.Id, MigrationPhase.Switch, "Running the before-freeze hooks"));
            var hooks = await CutoverHookRunner.RunAsync(record, CutoverStage.BeforeFreeze, hosts.SourceConnection, hosts.DestinationConnection, cancellationToken)
                .ConfigureAwait(false);
            if (CutoverHookRunner.FailureOf(hooks) is { } failed)
            {
                var message = $"The switch of migration {record.Id} did not start because a before-freeze hook failed; " +
                    $"{record.Workload} keeps running on {record.Source}. {failed.Describe()}";
                throw new MigrationFailedException(message, SaveFailure(record, MigrationPhase.Switch, start, message, record.State), false, null);
            }

            record = Journal.Save(MigrationStateMachine.Move(record, MigrationState.Switching, new PhaseRecord(MigrationPhase.Switch, start, null, null, 0)) with
            {
                ActivePhase = MigrationPhase.Switch,
                LastError = null,
            });
        }
        else
        {
            // An interrupted switch: what its controller started on the hosts may still be running; let it end first.
            record = Journal.Save(record with { ActivePhase = MigrationPhase.Switch });
            await WaitForCriuAsync(hosts, record, destinationToo: true, cancellationToken).ConfigureAwait(false);
        }

        // An interrupted switch may have restored or started the workload on the destination already.
        var destination = new DestinationTrack { MayRun = interrupted };
        try
        {
            return await CutOverAsync(hosts, record, manifest, destination, progress, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (IsFailure(e))
        {
            record = Journal.TryLoad(record.Id) ?? record;
            throw await RollBackSwitchAsync(hosts, record, manifest, destination.MayRun, e, progress).ConfigureAwait(false);
        }
    }

    private async Task<MigrationRecord> CutOverAsync(
        MigrationHosts hosts, MigrationRecord record, WorkloadManifest manifest, DestinationTrack destination, IProgress<MigrationProgress>? progress,
        CancellationToken cancellationToken)
    {
        var images = ImagesOf(record);
        var downtime = new Stopwatch();
        var parts = new DowntimeParts();
        var resumed = record.CheckpointedProcess is not null;
        void Report(string activity) => progress?.Report(new MigrationProgress(record.Id, MigrationPhase.Switch, activity));

        var rounds = Array.Empty<ReplicationRound>();
        var target = await hosts.Destination.Runtime.GetStatusAsync(record.Workload, cancellationToken).ConfigureAwait(false);
        if (target.State != WorkloadState.Running && await AdoptRestoredAsync(hosts.Destination, hosts.DestinationCriu, record, images, cancellationToken)
                .ConfigureAwait(false))
        {
            target = await hosts.Destination.Runtime.GetStatusAsync(record.Workload, cancellationToken).ConfigureAwait(false);
        }

        if (target.State == WorkloadState.Running)
        {
            destination.MayRun = true;
        }
        else
        {
            // Everything that does not need the workload stopped happens before the freeze, so the downtime holds only
            // what must: both connections up, the final replication round planned (listings, common snapshots, ZFS
            // capabilities, compression), the manifest declared there.
            var source = await hosts.Source.Runtime.GetStatusAsync(record.Workload, cancellationToken).ConfigureAwait(false);
            // The final round hands the copy over: its check leaves it writable for the workload about to run there
            // (nothing runs there yet, and nothing writes on the frozen or stopped source); a rollback fences it again.
            var planned = Task.WhenAll(record.Datasets.Select(d =>
                hosts.Replicator.PlanRoundAsync(ReplicationFor(record, d) with { LeaveCopyWritable = true }, cancellationToken)));
            await Task.WhenAll(planned, DeclareAsync(hosts.Destination, manifest, cancellationToken)).ConfigureAwait(false);
            rounds = await planned.ConfigureAwait(false);

            // Freeze (or stop) the source, unless an interrupted switch already did.
            downtime.Start();
            var step = Stopwatch.StartNew();
            if (record.CheckpointMode == CheckpointMode.Criu && record.CheckpointedProcess is null)
            {
                if (source.State == WorkloadState.Frozen)
                {
                    // A checkpoint that was cut short: let the tree run and take it again.
                    await hosts.SourceCriu.ResumeAsync(source.Process!, cancellationToken).ConfigureAwait(false);
                }
                else if (source.State != WorkloadState.Running)
                {
                    throw new MigrationRefusedException(
                        $"{record.Workload} is not running on {record.Source}, so there is nothing to checkpoint; start it there and switch again.");
                }

                Report($"Checkpointing {record.Workload} on {record.Source}");
                await hosts.SourceCriu.DumpAsync(
                    new CriuDumpRequest(source.Process!, images) { CarriedFiles = new[] { Paths.OutputLog(record.Workload) }, Options = record.Settings.Checkpoint }, cancellationToken)
                    .ConfigureAwait(false);
                record = Journal.Save(record with { CheckpointedProcess = source.Process });
            }
            else if (record.CheckpointMode == CheckpointMode.Restart && source.State != WorkloadState.Stopped)
            {
                Report($"Stopping {record.Workload} on {record.Source}");
                await hosts.Source.Runtime.StopAsync(record.Workload, TimeSpan.FromSeconds(record.Settings.StopTimeoutSeconds), cancellationToken)
                    .ConfigureAwait(false);
            }

            parts = parts with { Dump = step.Elapsed };

            // A frozen tree that must make way ends while the state travels: its checkpoint is taken, and a rollback
            // restores the source from it.
            var released = Task.CompletedTask;
            if (record.CheckpointMode == CheckpointMode.Criu && record.Settings.ReleaseSourceBeforeRestore)
            {
                Report($"Ending the frozen tree on {record.Source}");
                released = hosts.Source.Runtime.KillAsync(record.Workload, cancellationToken);
            }

            // The last delta must be whole on the destination before the restore opens its files; the images travel meanwhile.
            (IReadOnlyList<DatasetProgress> Datasets, long DeltaBytes, TimeSpan DeltaTime, long ImageBytes, TimeSpan? ImageTime) shipped;
            try
            {
                shipped = await ShipFinalStateAsync(hosts, record, rounds, images, progress, cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                // The rollback looks at the source's tree: the kill must have landed (or failed) by then.
                await IgnoreFailureAsync(released).ConfigureAwait(false);
                throw;
            }

            await released.ConfigureAwait(false);
            parts = parts with { FinalDelta = shipped.DeltaTime, ImageTransfer = shipped.ImageTime };
            record = Journal.Save(record with
            {
                Datasets = shipped.Datasets,
                BytesTransferred = record.BytesTransferred + shipped.DeltaBytes + shipped.ImageBytes,
            });
            destination.MayRun = true;
            step.Restart();
            if (record.CheckpointMode == CheckpointMode.Criu)
            {
                Report($"Restoring {record.Workload} on {record.Destination}");
                // The restore records the tree's PID itself: a tree running without its PID file looks stopped to anyone
                // who asks the host, until a rerun adopts it.
                await hosts.DestinationCriu.RestoreAsync(RestoreRequest(record, images, hosts.Destination), cancellationToken).ConfigureAwait(false);
            }
            else
            {
                Report($"Starting {record.Workload} on {record.Destination}");
                await hosts.Destination.Runtime.StartAsync(manifest, cancellationToken).ConfigureAwait(false);
            }

            parts = parts with { Restore = step.Elapsed };
        }

        var health = Stopwatch.StartNew();
        await CheckHealthAsync(hosts.DestinationConnection, hosts.Destination.Runtime, manifest, record.Destination, Report, cancellationToken)
            .ConfigureAwait(false);
        parts = parts with { Health = health.Elapsed };

        // The downtime ends here: the workload serves on the destination; what follows is bookkeeping.
        downtime.Stop();

        // The holds move to the final round's snapshots only now, out of the frozen window; an interrupted switch that
        // finds the workload running skips this, and complete, undo or abort release every hold of the migration anyway.
        await Task.WhenAll(rounds.Select(round => hosts.Replicator.HoldRoundAsync(round, CancellationToken.None))).ConfigureAwait(false);

        // Commit: from here on the destination owns the workload, and the source's copy may not change.
        await SetOwnerAsync(hosts.Source.Zfs, record.Datasets.Select(d => d.Source), owns: false, CancellationToken.None).ConfigureAwait(false);
        var elapsed = downtime.Elapsed;
        await KeepCriuLogsAsync(hosts, record, images).ConfigureAwait(false);
        await hosts.DestinationCriu.RemoveImagesAsync(images, CancellationToken.None).ConfigureAwait(false);
        // A switch resumed after the freeze cannot know when the workload stopped serving: its downtime is not reported.
        var measured = !resumed && elapsed > TimeSpan.Zero;
        var outcome = measured ? "committed" : "committed after an interrupted switch (its downtime is unknown)";
        var switched = CloseSwitch(record, MigrationState.Switched, outcome) with
        {
            Owner = WorkloadOwner.Destination,
            Downtime = measured ? elapsed : null,
            DowntimeParts = measured ? parts : null,
        };
        record = Journal.Save(switched);

        Report("Running the after-commit hooks");
        var hooks = await CutoverHookRunner.RunAsync(record, CutoverStage.AfterCommit, hosts.SourceConnection, hosts.DestinationConnection, CancellationToken.None)
            .ConfigureAwait(false);
        if (CutoverHookRunner.FailureOf(hooks) is { } failed)
        {
            record = Journal.Save(CloseSwitch(record, MigrationState.Switched, outcome + "; " + failed.Describe()) with
            {
                LastError = $"The switch committed, but an after-commit hook failed: {failed.Describe()}",
            });
        }

        return record;
    }

    /// <summary>Whether the switch got as far as restoring or starting the workload on the destination.</summary>
    private sealed class DestinationTrack
    {
        public bool MayRun { get; set; }
    }

    /// <summary>Copies CRIU's logs of this switch into the journal beside the record; a log that cannot be read is skipped.</summary>
    private async Task KeepCriuLogsAsync(MigrationHosts hosts, MigrationRecord record, CriuImageDirectory images)
    {
        if (record.CheckpointMode != CheckpointMode.Criu)
        {
            return;
        }

        foreach (var (criu, operation, name) in new[]
        {
            (hosts.SourceCriu, CriuOperation.Dump, "dump.log"),
            (hosts.DestinationCriu, CriuOperation.Restore, "restore.log"),
            (hosts.SourceCriu, CriuOperation.Restore, "source-restore.log"),
        })
        {
            try
            {
                var log = await criu.ReadLogAsync(images, operation, CancellationToken.None).ConfigureAwait(false);
                if (log.Length > 0)
                {
                    Journal.SaveLog(record.Id, name, log);
                }
            }
            catch (Exception e) when (e is RemoteException or System.IO.IOException or UnauthorizedAccessException)
            {
                // The logs are for reading later; the migration does not depend on them.
            }
        }
    }

    /// <summary>Waits for checkpoints and restores of this migration that a dead controller left running on either host.</summary>
    private static async Task WaitForCriuAsync(MigrationHosts hosts, MigrationRecord record, bool destinationToo, CancellationToken cancellationToken)
    {
        if (record.CheckpointMode != CheckpointMode.Criu)
        {
            return;
        }

        var images = ImagesOf(record);
        var limit = TimeSpan.FromMinutes(2);
        var waits = new List<Task<bool>>
        {
            hosts.SourceCriu.WaitForOperationAsync(CriuOperation.Dump, images, limit, cancellationToken),
            hosts.SourceCriu.WaitForOperationAsync(CriuOperation.Restore, images, limit, cancellationToken),
        };
        if (destinationToo)
        {
            waits.Add(hosts.DestinationCriu.WaitForOperationAsync(CriuOperation.Restore, images, limit, cancellationToken));
        }

        if ((await Task.WhenAll(waits).ConfigureAwait(false)).Contains(false))
        {
            throw new MigrationRefusedException(
                $"A checkpoint or restore of {record.Workload} ({images}) is still running after {limit.TotalMinutes} minutes; " +
                "wait for it to end (see criu's log in that directory), then run the phase again.");
        }
    }

    /// <summary>
    /// Records the PID of a tree that an interrupted switch or undo restored on <paramref name="host"/> but did not
    /// record, so that it is stopped or kept rather than restored a second time.
    /// </summary>
    private static async Task<bool> AdoptRestoredAsync(
        WorkloadHost host, CriuHost criu, MigrationRecord record, CriuImageDirectory images, CancellationToken cancellationToken)
    {
        if (record.CheckpointMode != CheckpointMode.Criu || record.CheckpointedProcess is null)
        {
            return false;
        }

        var restored = await criu.FindRestoredAsync(images, cancellationToken).ConfigureAwait(false);
        if (restored is null)
        {
            return false;
        }

        await host.Runtime.AdoptAsync(record.Workload, restored, cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>The final delta of every dataset and, in parallel, the checkpoint images; either failing stops both.</summary>
    private static async Task<(IReadOnlyList<DatasetProgress> Datasets, long DeltaBytes, TimeSpan DeltaTime, long ImageBytes, TimeSpan? ImageTime)>
        ShipFinalStateAsync(
            MigrationHosts hosts, MigrationRecord record, IReadOnlyList<ReplicationRound> rounds, CriuImageDirectory images,
            IProgress<MigrationProgress>? progress, CancellationToken cancellationToken)
    {
        using var both = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var deltaClock = Stopwatch.StartNew();
        var delta = Stopping(both, async () =>
        {
            var result = await SendFinalRoundsAsync(hosts, record, rounds, progress, both.Token).ConfigureAwait(false);
            deltaClock.Stop();
            return result;
        });

        var imageClock = Stopwatch.StartNew();
        Task<TransferResult?> shipped = Task.FromResult<TransferResult?>(null);
        if (record.CheckpointMode == CheckpointMode.Criu)
        {
            shipped = Stopping(both, async () =>
            {
                progress?.Report(new MigrationProgress(record.Id, MigrationPhase.Switch, $"Sending the checkpoint to {record.Destination}"));
                var meter = new ProgressMeter(null);
                var result = record.Settings.Path == TransferPath.Direct
                    ? await CriuImageShipment.DirectAsync(
                        hosts.SourceConnection, images, SshDestination.Parse(record.Destination), images, meter,
                        hosts.DestinationConnection.Options.UseSudo, record.Settings.BandwidthLimit, both.Token).ConfigureAwait(false)
                    : await CriuImageShipment.RelayAsync(
                        hosts.SourceConnection, images, hosts.DestinationConnection, images, meter, record.Settings.BandwidthLimit, both.Token)
                        .ConfigureAwait(false);
                imageClock.Stop();
                return (TransferResult?)result;
            });
        }

        try
        {
            await Task.WhenAll(delta, shipped).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // One side failed and cancelled the other: report the failure, not the cancellation it caused.
            foreach (var task in new Task[] { delta, shipped })
            {
                if (task.IsFaulted)
                {
                    await task.ConfigureAwait(false);
                }
            }

            throw;
        }

        var (datasets, bytes) = await delta.ConfigureAwait(false);
        var images2 = await shipped.ConfigureAwait(false);
        return (datasets, bytes, deltaClock.Elapsed, images2?.Bytes ?? 0, images2 is null ? null : imageClock.Elapsed);
    }

    /// <summary>
    /// Sends the rounds planned before the freeze, one dataset after another: snapshot and stream in one command each,
    /// then one check per host. No progress is metered: the delta of a frozen workload is the small rest.
    /// </summary>
    private static async Task<(IReadOnlyList<DatasetProgress> Datasets, long Bytes)> SendFinalRoundsAsync(
        MigrationHosts hosts, MigrationRecord record, IReadOnlyList<ReplicationRound> rounds, IProgress<MigrationProgress>? progress,
        CancellationToken cancellationToken)
    {
        var updated = new List<DatasetProgress>();
        long bytes = 0;
        foreach (var (dataset, round) in record.Datasets.Zip(rounds, (d, r) => (d, r)))
        {
            progress?.Report(new MigrationProgress(record.Id, MigrationPhase.Switch, $"Sending the final delta of {dataset.Source} to {record.Destination}"));
            var result = await hosts.Replicator.SendRoundAsync(round, null, cancellationToken).ConfigureAwait(false);
            updated.Add(dataset with { CommonSnapshot = result.Snapshot.Value, CommonSnapshotGuid = result.Guid, BytesTotal = dataset.BytesTotal + result.Bytes });
            bytes += result.Bytes;
        }

        return (updated, bytes);
    }

    /// <summary>Waits for <paramref name="task"/> to end, whatever its outcome: a failure already being reported came first.</summary>
    private static async Task IgnoreFailureAsync(Task task)
    {
        try
        {
            await task.ConfigureAwait(false);
        }
        catch (Exception e) when (IsFailure(e))
        {
        }
    }

    /// <summary>Runs <paramref name="work"/>, cancelling <paramref name="both"/> when it fails so its partner stops too.</summary>
    private static async Task<T> Stopping<T>(CancellationTokenSource both, Func<Task<T>> work)
    {
        try
        {
            return await work().ConfigureAwait(false);
        }
        catch
        {
            both.Cancel();
            throw;
        }
    }

    /// <summary>The restore of the switch's checkpoint, with the options of its dump, recording the tree as the workload's process.</summary>
    private static CriuRestoreRequest RestoreRequest(MigrationRecord record, CriuImageDirectory images, WorkloadHost host) =>
        new(images) { Options = record.Settings.Checkpoint, RecordFile = host.Runtime.Paths.PidFile(record.Workload) };

    /// <summary>
    /// Checks that the workload's process runs and waits for its health check (if it has one), both at once: the probe
    /// is what takes time, and a tree that died at once fails the switch without waiting out the probe's timeout.
    /// </summary>
    private static async Task CheckHealthAsync(
        SshConnection connection, WorkloadRuntime runtime, WorkloadManifest manifest, string host, Action<string> report, CancellationToken cancellationToken)
    {
        using var probing = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Task<HealthResult>? probe = null;
        if (manifest.HealthCheck is { } check)
        {
            report($"Waiting for {HealthProbe.Describe(check)} on {host}");
            probe = HealthProbe.WaitAsync(connection, check, probing.Token);
        }

        try
        {
            var status = await runtime.GetStatusAsync(manifest.Name, cancellationToken).ConfigureAwait(false);
            if (status.State != WorkloadState.Running)
            {
                throw new WorkloadException($"{manifest.Name} is {status.State} on {host} right after it was started there; see its output.log.");
            }

            if (probe is not null)
            {
                var health = await probe.ConfigureAwait(false);
                if (!health.Healthy)
                {
                    throw new WorkloadException(
                        $"{manifest.Name} did not become healthy on {host} within {manifest.HealthCheck!.TimeoutSeconds} s: " +
                        $"{HealthProbe.Describe(manifest.HealthCheck)} failed. {health.Detail}");
                }
            }
        }
        finally
        {
            if (probe is not null && !probe.IsCompleted)
            {
                probing.Cancel();
                await IgnoreFailureAsync(probe).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Fencing: the owner's datasets are writable, the other side's read-only.</summary>
    private static async Task SetOwnerAsync(ZfsHost host, IEnumerable<DatasetName> datasets, bool owns, CancellationToken cancellationToken)
    {
        // The property takes effect on the mounted dataset at once (measured on zfs-fuse too), so no remount is needed,
        // which would fail while the owner's workload has files open.
        foreach (var dataset in datasets)
        {
            await host.SetReadOnlyAsync(dataset, !owns, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Declares the workload on a host unless the same manifest is there already.</summary>
    private static async Task DeclareAsync(WorkloadHost host, WorkloadManifest manifest, CancellationToken cancellationToken)
    {
        var there = await host.Catalog.GetAsync(manifest.Name, cancellationToken).ConfigureAwait(false);
        if (there is null)
        {
            await host.Catalog.RegisterAsync(manifest, cancellationToken).ConfigureAwait(false);
        }
        else if (!there.Equals(manifest))
        {
            throw new MigrationRefusedException(
                $"{host.Connection.Destination} now declares a different workload named {manifest.Name}; unregister it there and switch again.");
        }
    }

    /// <summary>Removes the workload's manifest from a host if it is <paramref name="manifest"/>, leaving anyone else's.</summary>
    private static async Task UndeclareAsync(WorkloadHost host, WorkloadManifest manifest, CancellationToken cancellationToken)
    {
        var there = await host.Catalog.GetAsync(manifest.Name, cancellationToken).ConfigureAwait(false);
        if (there is not null && there.Equals(manifest))
        {
            await host.Catalog.UnregisterAsync(manifest.Name, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The record moved to <paramref name="state"/> with the open switch phase closed (or a switch phase added).</summary>
    private MigrationRecord CloseSwitch(MigrationRecord record, MigrationState state, string outcome)
    {
        var phases = record.Phases.ToList();
        var open = phases.FindLastIndex(p => p.Phase == MigrationPhase.Switch && p.End is null);
        var end = _clock();
        var bytes = record.BytesTransferred - (record.Phases.Sum(p => p.Bytes) - (open >= 0 ? phases[open].Bytes : 0));
        var closed = new PhaseRecord(MigrationPhase.Switch, open >= 0 ? phases[open].Start : end, end, outcome, Math.Max(0, bytes));
        if (open >= 0)
        {
            phases[open] = closed;
        }
        else
        {
            phases.Add(closed);
        }

        var moved = record.State == state ? record : MigrationStateMachine.Move(record, state, closed);
        return moved with { Phases = phases, ActivePhase = null, UpdatedAt = end };
    }

    /// <summary>
    /// Puts the workload back on the source after a failed switch. Runs to the end whatever the caller's token says:
    /// leaving the workload nowhere is worse than a late return.
    /// </summary>
    private async Task<MigrationFailedException> RollBackSwitchAsync(
        MigrationHosts hosts, MigrationRecord record, WorkloadManifest manifest, bool destinationMayRun, Exception cause,
        IProgress<MigrationProgress>? progress)
    {
        var why = cause is OperationCanceledException ? "it was cancelled" : cause.Message;
        progress?.Report(new MigrationProgress(record.Id, MigrationPhase.Switch, $"Rolling back to {record.Source}: {why}"));
        await KeepCriuLogsAsync(hosts, record, ImagesOf(record)).ConfigureAwait(false);
        try
        {
            var destinationCleared = await ReturnToSourceAsync(hosts, record, manifest, destinationMayRun, CancellationToken.None).ConfigureAwait(false);
            if (destinationCleared)
            {
                await RollBackCopiesAsync(hosts, record, CancellationToken.None).ConfigureAwait(false);
            }
            else
            {
                why += $" ({record.Destination} could not be reached; the workload never started there, and its copy is cleaned up by the next switch or abort)";
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
        catch (Exception e) when (IsFailure(e))
        {
            var stuck = $"The switch of migration {record.Id} failed ({why}) and rolling it back failed too ({e.Message}). " +
                $"{record.Workload} may run on neither host: check {record.Source} and {record.Destination}, start it where its newest data is, " +
                "then record the outcome (recover the migration).";
            var failed = Journal.Save(CloseSwitch(record, MigrationState.Failed, "failed; rollback failed") with { LastError = stuck });
            return new MigrationFailedException(stuck, failed, rolledBack: false, cause);
        }

        var message = $"The switch of migration {record.Id} was rolled back: {why}. {record.Workload} runs on {record.Source} again and the copy " +
            $"on {record.Destination} is still in step; fix the cause and switch again, or abort the migration.";
        var saved = Journal.Save(CloseSwitch(record, MigrationState.Synced, "rolled back: " + why) with
        {
            Owner = WorkloadOwner.Source,
            CheckpointedProcess = null,
            LastError = message,
        });
        return new MigrationFailedException(message, saved, rolledBack: true, cause);
    }

    /// <summary>
    /// Ends the workload on the destination and makes it run on the source again: resumed if frozen, restored from
    /// its own checkpoint if the switch had ended it, started if it was stopped (restart mode). Then checks its health.
    /// An unreachable destination is passed over only when it cannot be running the workload.
    /// </summary>
    /// <returns>Whether the destination was reached and cleared; false when it was unreachable and passed over.</returns>
    private static async Task<bool> ReturnToSourceAsync(
        MigrationHosts hosts, MigrationRecord record, WorkloadManifest manifest, bool destinationMayRun, CancellationToken cancellationToken)
    {
        var images = ImagesOf(record);
        bool reached;
        try
        {
            await hosts.DestinationConnection.RunAsync(Reachable, cancellationToken).ConfigureAwait(false);
            reached = true;
        }
        catch (ConnectionFailedException) when (!destinationMayRun)
        {
            reached = false;
        }
        catch (ConnectionFailedException e)
        {
            throw new MigrationRefusedException(
                $"{record.Destination} cannot be reached ({e.Message}), and the workload may be running there: putting it back on " +
                $"{record.Source} now could run it twice. Once {record.Destination} answers, run the phase again; if {record.Destination} " +
                "is gone for good, make sure the workload is not running there, then recover the migration.", e);
        }

        await WaitForCriuAsync(hosts, record, reached, cancellationToken).ConfigureAwait(false);
        if (reached)
        {
            if ((await hosts.Destination.Runtime.GetStatusAsync(record.Workload, cancellationToken).ConfigureAwait(false)).State == WorkloadState.Stopped)
            {
                await AdoptRestoredAsync(hosts.Destination, hosts.DestinationCriu, record, images, cancellationToken).ConfigureAwait(false);
            }

            await hosts.Destination.Runtime.StopAsync(record.Workload, TimeSpan.FromSeconds(record.Settings.StopTimeoutSeconds), cancellationToken)
                .ConfigureAwait(false);
            await UndeclareAsync(hosts.Destination, manifest, cancellationToken).ConfigureAwait(false);
            await SetOwnerAsync(hosts.Destination.Zfs, record.Datasets.Select(d => d.Target), owns: false, cancellationToken).ConfigureAwait(false);
        }

        await SetOwnerAsync(hosts.Source.Zfs, record.Datasets.Select(d => d.Source), owns: true, cancellationToken).ConfigureAwait(false);

        var source = await hosts.Source.Runtime.GetStatusAsync(record.Workload, cancellationToken).ConfigureAwait(false);
        if (source.State == WorkloadState.Frozen)
        {
            await hosts.SourceCriu.ResumeAsync(source.Process!, cancellationToken).ConfigureAwait(false);
        }
        else if (source.State == WorkloadState.Stopped && !await AdoptRestoredAsync(hosts.Source, hosts.SourceCriu, record, images, cancellationToken).ConfigureAwait(false))
        {
            if (record.CheckpointMode == CheckpointMode.Criu && record.CheckpointedProcess is not null)
            {
                await hosts.SourceCriu.RestoreAsync(RestoreRequest(record, images, hosts.Source), cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await hosts.Source.Runtime.StartAsync(manifest, cancellationToken).ConfigureAwait(false);
            }
        }

        await CheckHealthAsync(hosts.SourceConnection, hosts.Source.Runtime, manifest, record.Source, _ => { }, cancellationToken).ConfigureAwait(false);
        await hosts.SourceCriu.RemoveImagesAsync(images, cancellationToken).ConfigureAwait(false);
        if (reached)
        {
            await hosts.DestinationCriu.RemoveImagesAsync(images, cancellationToken).ConfigureAwait(false);
        }

        return reached;
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
