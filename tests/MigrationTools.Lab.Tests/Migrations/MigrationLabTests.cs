using MigrationTools.Engine.Journal;
using MigrationTools.Engine.Migrations;
using MigrationTools.Engine.Workloads;
using MigrationTools.Lab.Tests.Lab;
using Xunit.Abstractions;

namespace MigrationTools.Lab.Tests.Migrations;

/// <summary>Whole migrations of the counter service from h1 to h2 through the engine's phases.</summary>
[Collection(LabCollection.Name)]
public sealed class MigrationLabTests(LabFixture lab, ITestOutputHelper output)
{
    [LabFact]
    public async Task ALiveMoveCountsOnOnH2AndCompleteLeavesNothingBehindOnH1()
    {
        await using var m = new MigrationLab(lab);
        var first = await m.StartAsync();
        await Task.Delay(500);
        var progress = new ProgressLog();

        var switched = await m.Engine.MoveAsync(m.Request(), new MoveOptions { ConvergedBytes = 0, MaxSyncRounds = 2 }, progress);

        Describe(switched);
        Assert.Equal(MigrationState.Switched, switched.State);
        Assert.Equal(WorkloadOwner.Destination, switched.Owner);
        Assert.Null(switched.ActivePhase);
        Assert.Null(switched.LastError);
        Assert.Equal([MigrationPhase.Begin, MigrationPhase.Sync, MigrationPhase.Sync, MigrationPhase.Switch], switched.Phases.Select(p => p.Phase));
        Assert.Equal(2, switched.SyncCount);
        Assert.True(switched.BytesTransferred > 1 << 20, $"only {switched.BytesTransferred} bytes moved");
        Assert.NotNull(switched.Downtime);
        var parts = switched.DowntimeParts!;
        Assert.All(new[] { parts.Dump, parts.FinalDelta, parts.ImageTransfer, parts.Restore, parts.Health }, part => Assert.NotNull(part));
        Assert.True(switched.Downtime >= parts.Dump + parts.Restore, "the downtime is shorter than its parts");
        var copied = switched.Phases.Where(p => p.Phase != MigrationPhase.Switch).Sum(p => p.Bytes);
        Assert.InRange(switched.Datasets[0].BytesTotal, copied + 1, switched.BytesTransferred - 1);
        Assert.Equal(switched.BytesTransferred, switched.Phases.Sum(p => p.Bytes));
        Assert.NotNull(switched.Datasets[0].CommonSnapshotGuid);
        Assert.Contains(progress.Items, p => p.Phase == MigrationPhase.Begin && p.Transfer is { Bytes: > 0 });
        Assert.Contains(progress.Items, p => p.Activity.StartsWith("Sync round 2 sent", StringComparison.Ordinal));
        Assert.Contains(progress.Items, p => p.Activity.StartsWith("Restoring", StringComparison.Ordinal));

        var logs = m.Engine.Journal.LogDirectoryOf(switched.Id);
        Assert.Contains("Dumping finished successfully", File.ReadAllText(Path.Combine(logs, "dump.log")), StringComparison.Ordinal);
        Assert.Contains("Restore finished successfully", File.ReadAllText(Path.Combine(logs, "restore.log")), StringComparison.Ordinal);

        var moved = await m.Service.WaitForServiceAsync();
        Assert.Equal("h2", moved.Hostname);
        Assert.Equal(first.Token, moved.Token);
        await Task.Delay(500);
        Assert.True((await m.Service.ReadAsync()).Counter > moved.Counter, "the service does not count on after the move");
        var logged = await m.LoggedAsync("h2");
        Assert.Equal(Enumerable.Range(1, logged.Length).Select(n => (long)n), logged);
        Assert.True(logged.Length >= first.Counter);

        // Fencing: the source's copy is read-only and its tree stays frozen (each host has a network of its own, so it
        // was not released before the restore) until Complete; the destination owns the data.
        Assert.Equal(WorkloadState.Frozen, (await m.StatusAsync("h1")).State);
        Assert.Equal(WorkloadState.Running, (await m.StatusAsync("h2")).State);
        Assert.False(await m.WritableAsync("h1"));
        Assert.True(await m.WritableAsync("h2"));
        Assert.Equal(m.Manifest, await m.DeclaredAsync("h2"));
        Assert.Equal(switched.Id.Value, await m.PropertyAsync("h1", MigrationClaim.PropertyName.Value));

        var completed = await m.Engine.CompleteAsync(switched.Id);

        Assert.Equal(MigrationState.Completed, completed.State);
        Assert.Equal(MigrationPhase.Complete, completed.Phases[^1].Phase);
        Assert.False(await m.DatasetExistsAsync("h1"));
        Assert.Empty(await m.SnapshotsAsync("h2"));
        Assert.Equal("-", await m.PropertyAsync("h2", MigrationClaim.PropertyName.Value));
        Assert.False(await m.ClaimExistsAsync());
        Assert.Null(await m.DeclaredAsync("h1"));
        Assert.Equal(first.Token, (await m.Service.ReadAsync()).Token);
        Assert.Equal(MigrationRecordJson.Serialize(completed), MigrationRecordJson.Serialize(await m.Engine.CompleteAsync(switched.Id)));
        Assert.Equal(MigrationRecordJson.Serialize(completed), MigrationRecordJson.Serialize(new MigrationJournal(m.JournalDirectory).Load(switched.Id)));
    }

    [LabFact]
    public async Task ARestartModeMoveStartsAFreshProcessOnH2OverEveryLineWrittenOnH1()
    {
        await using var m = new MigrationLab(lab, s => s.ManifestWith(CheckpointMode.Restart));
        var first = await m.StartAsync();
        await Task.Delay(300);

        var completed = await m.Engine.MoveAsync(m.Request(), new MoveOptions { Complete = true, KeepSourceDatasets = true });

        Describe(completed);
        Assert.Equal(MigrationState.Completed, completed.State);
        Assert.Null(completed.DowntimeParts!.ImageTransfer);
        var moved = await m.Service.WaitForServiceAsync();
        Assert.Equal("h2", moved.Hostname);
        Assert.NotEqual(first.Token, moved.Token);
        var logged = await m.LoggedAsync("h2");
        var restart = Array.IndexOf(logged, 1L, 1);
        Assert.True(restart > 0, "the restarted service did not start counting from 1 in the same file");
        Assert.Equal(Enumerable.Range(1, restart).Select(n => (long)n), logged[..restart]);
        Assert.True(restart >= first.Counter, $"the log kept {restart} values written on h1, fewer than the {first.Counter} counted");

        // Kept: the source's datasets stay, read-only and without the migration's snapshots or mark.
        Assert.True(await m.DatasetExistsAsync("h1"));
        Assert.False(await m.WritableAsync("h1"));
        Assert.Empty(await m.SnapshotsAsync("h1"));
        Assert.Equal("-", await m.PropertyAsync("h1", MigrationClaim.PropertyName.Value));
        Assert.Equal(WorkloadState.Stopped, (await m.StatusAsync("h1")).State);
    }

    [LabFact]
    public async Task AFailingHealthCheckRollsTheSwitchBackAndAbortLeavesTheSourceAsItWas()
    {
        // Healthy only on h1: the restore on h2 works, the health check there fails.
        var onlyOnH1 = HealthCheck.ForCommand(["sh", "-c", "test \"$(hostname)\" = h1"], 3);
        await using var m = new MigrationLab(lab, s => s.ManifestWith(health: onlyOnH1));
        var first = await m.StartAsync();

        var failure = await Assert.ThrowsAsync<MigrationFailedException>(() => m.Engine.MoveAsync(m.Request()));

        output.WriteLine(failure.Message);
        Assert.True(failure.RolledBack);
        var record = failure.Record!;
        Assert.Equal(MigrationState.Synced, record.State);
        Assert.Equal(WorkloadOwner.Source, record.Owner);
        Assert.Null(record.ActivePhase);
        Assert.Contains("did not become healthy on h2", record.LastError, StringComparison.Ordinal);
        Assert.StartsWith("rolled back", record.Phases[^1].Outcome, StringComparison.Ordinal);
        var back = await m.Service.WaitForServiceAsync();
        Assert.Equal("h1", back.Hostname);
        Assert.Equal(first.Token, back.Token);
        Assert.Equal(WorkloadState.Running, (await m.StatusAsync("h1")).State);
        Assert.Equal(WorkloadState.Stopped, (await m.StatusAsync("h2")).State);
        Assert.Null(await m.DeclaredAsync("h2"));
        Assert.False(await m.WritableAsync("h2"));
        Assert.True(await m.WritableAsync("h1"));

        // The copy is still in step: another sync works incrementally.
        var synced = await m.Engine.SyncAsync(record.Id);
        Assert.Equal(MigrationState.Synced, synced.State);

        var running = await m.StatusAsync("h1");
        var aborted = await m.Engine.AbortAsync(record.Id);

        Assert.Equal(MigrationState.Aborted, aborted.State);
        Assert.False(await m.DatasetExistsAsync("h2"));
        Assert.Empty(await m.SnapshotsAsync("h1"));
        Assert.False(await m.ClaimExistsAsync());
        Assert.Equal("-", await m.PropertyAsync("h1", MigrationClaim.PropertyName.Value));
        Assert.Equal(running, await m.StatusAsync("h1"));
        Assert.Equal(first.Token, (await m.Service.ReadAsync()).Token);
        var logged = await m.LoggedAsync("h1");
        Assert.Equal(Enumerable.Range(1, logged.Length).Select(n => (long)n), logged);
    }

    [LabFact]
    public async Task UndoAfterTheSwitchRunsTheWorkloadOnH1AgainAndFreesItForAnotherMigration()
    {
        await using var m = new MigrationLab(lab);
        var first = await m.StartAsync();
        var switched = await m.Engine.MoveAsync(m.Request(), new MoveOptions { MaxSyncRounds = 1 });
        Assert.Equal("h2", (await m.Service.WaitForServiceAsync()).Hostname);

        var undone = await m.Engine.UndoAsync(switched.Id);

        Describe(undone);
        Assert.Equal(MigrationState.RolledBack, undone.State);
        Assert.Equal(WorkloadOwner.Source, undone.Owner);
        Assert.Contains("was discarded", undone.Phases[^1].Outcome, StringComparison.Ordinal);
        var back = await m.Service.WaitForServiceAsync();
        Assert.Equal("h1", back.Hostname);
        Assert.Equal(first.Token, back.Token);
        Assert.Equal(WorkloadState.Stopped, (await m.StatusAsync("h2")).State);
        Assert.False(await m.DatasetExistsAsync("h2"));
        Assert.Null(await m.DeclaredAsync("h2"));
        Assert.True(await m.WritableAsync("h1"));
        Assert.Empty(await m.SnapshotsAsync("h1"));
        Assert.False(await m.ClaimExistsAsync());
        await Task.Delay(300);
        Assert.True((await m.Service.ReadAsync()).Counter > back.Counter, "the service does not count on after undo");

        var again = await m.Engine.TestAsync(m.Request());
        Assert.True(again.Passed, again.DescribeFailures());
    }

    [LabFact]
    public async Task OfTwoControllersStartingTheSameWorkloadAtOnceExactlyOneWinsAndLaterOnesAreRefused()
    {
        await using var m = new MigrationLab(lab);
        await m.StartAsync();
        var otherJournal = m.JournalDirectory + "-other";
        var other = m.NewEngine(otherJournal);
        try
        {
            var attempts = new[] { m.Engine, other }.Select(engine => engine.BeginAsync(m.Request())).ToArray();
            var outcomes = await Task.WhenAll(attempts.Select(async t =>
            {
                try
                {
                    return (Record: await t, Error: (Exception?)null);
                }
                catch (MigrationRefusedException e)
                {
                    return (Record: (MigrationRecord?)null, Error: (Exception?)e);
                }
            }));

            Reliability.ReliabilityLog.Record(Reliability.ReliabilityLog.Kind.Fault, "Two controllers begin the same workload at once",
                "exactly one wins; the other is refused naming the winner and changes nothing",
                $"{outcomes.Count(o => o.Record is not null)} won, {outcomes.Count(o => o.Error is not null)} refused");
            var won = Assert.Single(outcomes, o => o.Record is not null).Record!;
            var lost = Assert.Single(outcomes, o => o.Error is not null).Error!;
            output.WriteLine(lost.Message);
            Assert.Contains("already being migrated", lost.Message, StringComparison.Ordinal);
            Assert.Equal(MigrationState.Begun, won.State);
            var loser = outcomes[0].Record is null ? m.Engine : other;
            Assert.Empty(loser.Journal.List().Records);

            var refused = await Assert.ThrowsAsync<MigrationRefusedException>(() => loser.BeginAsync(m.Request()));
            Assert.Contains(won.Id.Value, refused.Message, StringComparison.Ordinal);
            var check = refused.Preflight!.Checks.Single(c => c.Name == MigrationChecks.NotInMigration);
            Assert.False(check.Passed);

            var winner = outcomes[0].Record is null ? other : m.Engine;
            Assert.Equal(MigrationState.Aborted, (await winner.AbortAsync(won.Id)).State);
        }
        finally
        {
            if (Directory.Exists(otherJournal))
            {
                Directory.Delete(otherJournal, recursive: true);
            }
        }
    }

    [LabFact]
    public async Task BadRequestsAreRefusedByNameAndChangeNothing()
    {
        await using var m = new MigrationLab(lab, s => s.ManifestWith(policy: MigrationPolicy.Manual));
        await m.StartAsync();

        var same = await Assert.ThrowsAsync<MigrationRefusedException>(() =>
            m.Engine.BeginAsync(new MigrationRequest(m.Service.Name, "h1", "h1") { Settings = MigrationLab.LabSettings }));
        Assert.Contains("both h1", same.Message, StringComparison.Ordinal);

        var manual = await Assert.ThrowsAsync<MigrationRefusedException>(() => m.Engine.BeginAsync(m.Request()));
        Assert.Contains("MigrationPolicy: ", manual.Message, StringComparison.Ordinal);
        Assert.Contains("manual", manual.Message, StringComparison.Ordinal);

        var unknown = await m.Engine.TestAsync(new MigrationRequest(Engine.Workloads.WorkloadName.Parse("no-such-workload"), "h1", "h2"));
        Assert.False(unknown.Passed);
        Assert.False(unknown.Checks.Single(c => c.Name == MigrationChecks.WorkloadDeclared).Passed);

        Reliability.ReliabilityLog.Record(Reliability.ReliabilityLog.Kind.BadInput, "Destination equal to source",
            "refused, nothing changed", "refused: " + same.Message.Split('\n')[0]);
        Reliability.ReliabilityLog.Record(Reliability.ReliabilityLog.Kind.BadInput, "Migration policy manual without force",
            "refused, naming the policy and force", "refused: " + manual.Message.Split('\n')[^1]);
        Reliability.ReliabilityLog.Record(Reliability.ReliabilityLog.Kind.BadInput, "A workload not declared on the source",
            "the preflight fails naming the manifest file to create",
            "preflight failed: " + unknown.Checks.Single(c => c.Name == MigrationChecks.WorkloadDeclared).Message);

        var forced = await m.Engine.TestAsync(m.Request() with { Force = true });
        Assert.True(forced.Passed, forced.DescribeFailures());
        Assert.True(forced.EstimatedBytes > 0);

        Assert.Empty(m.Engine.Journal.List().Records);
        Assert.False(await m.ClaimExistsAsync());
        Assert.False(await m.DatasetExistsAsync("h2"));
        Assert.Empty(await m.SnapshotsAsync("h1"));
    }

    private void Describe(MigrationRecord record)
    {
        output.WriteLine($"{record.Id} {record.State} downtime {record.Downtime} bytes {record.BytesTransferred} syncs {record.SyncCount}");
        foreach (var phase in record.Phases)
        {
            output.WriteLine($"  {phase.Phase} {(phase.End - phase.Start)?.TotalSeconds:0.000}s {phase.Bytes} bytes: {phase.Outcome}");
        }

        if (record.DowntimeParts is { } p)
        {
            output.WriteLine($"  dump {p.Dump} delta {p.FinalDelta} images {p.ImageTransfer} restore {p.Restore} health {p.Health}");
        }
    }
}
