using MigrationTools.Engine.Migrations;
using MigrationTools.Engine.Workloads;
using MigrationTools.Lab.Tests.Lab;
using Xunit.Abstractions;

namespace MigrationTools.Lab.Tests.Migrations;

/// <summary>
/// The controller killed in the middle of each phase, then the phase run again: every time the migration reaches a
/// consistent end, with the workload running on exactly one host and no line of its log lost.
/// </summary>
[Collection(LabCollection.Name)]
public sealed class ControllerCrashLabTests(LabFixture lab, ITestOutputHelper output)
{
    [LabFact]
    public async Task KilledInTheMiddleOfTheFullAndTheIncrementalCopyBeginAndSyncContinueAndAbortCleansUp()
    {
        await using var m = new MigrationLab(lab);
        var first = await m.StartAsync();
        await m.FillAsync("h1", "bulk-1", 96);

        var begin = await ControllerProcess.RunAndKillAsync(m, lab, "begin", m.Service.Name.Value, ControllerProcess.After("Begin", 8 << 20));
        Show(begin);
        Assert.True(begin.Killed, "the full copy ended before it could be interrupted");
        var interrupted = Assert.Single(m.Engine.Journal.List().Records);
        Assert.Equal(MigrationState.Created, interrupted.State);
        Assert.Equal(MigrationPhase.Begin, interrupted.ActivePhase);

        var begun = await m.Engine.BeginAsync(m.Request());
        RecordCrash("begin, mid full copy", begun.State, await m.ChecksumAsync("h1", "bulk-1") != await m.ChecksumAsync("h2", "bulk-1"));
        Assert.Equal(interrupted.Id, begun.Id);
        Assert.Equal(MigrationState.Begun, begun.State);
        Assert.Null(begun.ActivePhase);
        Assert.Equal(await m.ChecksumAsync("h1", "bulk-1"), await m.ChecksumAsync("h2", "bulk-1"));

        // Progress lines come a few times a second: the incremental must last long enough that the first line past
        // 4 MiB, and the kill it triggers, land while the stream still runs (64 MiB once finished first under load).
        await m.FillAsync("h1", "bulk-2", 160);
        var sync = await ControllerProcess.RunAndKillAsync(m, lab, "sync", begun.Id.Value, ControllerProcess.After("Sync", 4 << 20));
        Show(sync);
        Assert.True(sync.Killed, "the incremental copy ended before it could be interrupted");
        Assert.Equal(MigrationPhase.Sync, m.Engine.Get(begun.Id).ActivePhase);

        var synced = await m.Engine.SyncAsync(begun.Id);
        RecordCrash("sync, mid incremental copy", synced.State, await m.ChecksumAsync("h1", "bulk-2") != await m.ChecksumAsync("h2", "bulk-2"));
        Assert.Equal(MigrationState.Synced, synced.State);
        Assert.Equal(await m.ChecksumAsync("h1", "bulk-2"), await m.ChecksumAsync("h2", "bulk-2"));

        var abort = await ControllerProcess.RunAndKillAsync(m, lab, "abort", begun.Id.Value, ControllerProcess.At("Abort", "Removing"));
        Show(abort);
        var aborted = await m.Engine.AbortAsync(begun.Id);
        RecordCrash("abort, removing the copy", aborted.State, !(await m.LogIntactAsync("h1")));
        Assert.Equal(MigrationState.Aborted, aborted.State);
        Assert.False(await m.DatasetExistsAsync("h2"));
        Assert.Empty(await m.SnapshotsAsync("h1"));
        Assert.False(await m.ClaimExistsAsync());
        Assert.Equal(first.Token, (await m.Service.ReadAsync()).Token);
        Assert.Equal("h1", (await m.Service.ReadAsync()).Hostname);
    }

    public static TheoryData<string> SwitchSteps() =>
        ["Checkpointing", "Sending the checkpoint", "Ending the frozen tree", "Restoring", "Waiting for", "Running the after-commit hooks"];

    [LabTheory]
    [MemberData(nameof(SwitchSteps))]
    public async Task KilledAtAStepOfTheSwitchTheSwitchRunAgainFinishesItLive(string step)
    {
        // The lab's hosts do not need the source released before the restore; the step that releases it is reached
        // only with ReleaseSourceBeforeRestore, which then ends the source for good.
        var release = step == "Ending the frozen tree";
        await using var m = new MigrationLab(lab);
        var first = await m.StartAsync();
        var settings = MigrationLab.LabSettings with { ReleaseSourceBeforeRestore = release };
        var synced = await m.Engine.SyncAsync((await m.Engine.BeginAsync(m.Request(settings))).Id);

        var run = await ControllerProcess.RunAndKillAsync(m, lab, "switch", synced.Id.Value, ControllerProcess.At("Switch", step));
        Show(run);
        Assert.True(run.Killed, $"the switch never reported \"{step}\"");
        foreach (var host in new[] { "h1", "h2" })
        {
            output.WriteLine($"{host} after the kill: " + await lab.SshCheckedAsync(host,
                $"ps -eo pid,stat,args | grep -e criu -e counter.py | grep -v grep; ls /run/migrationtools/images/{m.Service.Name}-* 2>&1 | tr '\\n' ' '"));
        }

        await AssertRunsOnExactlyOneHostAsync(m);

        MigrationRecord switched;
        try
        {
            switched = await m.Engine.SwitchAsync(synced.Id);
        }
        catch (MigrationFailedException rolledBack) when (rolledBack.RolledBack)
        {
            // Pages pulled after the restore (post-copy, Auto's choice here) travel through the controller when the data
            // is relayed, so a controller that died before the last page leaves a tree the run again must not keep: it
            // rolls back, the source's memory whole, and the next switch finishes live.
            output.WriteLine("the run again rolled back: " + rolledBack.Message.Split('\n')[0]);
            Assert.Equal(MigrationState.Synced, rolledBack.Record!.State);
            var back = await m.Service.WaitForServiceAsync();
            Assert.Equal(("h1", first.Token), (back.Hostname, back.Token));
            Assert.True(await m.LogIntactAsync("h1"));
            switched = await m.Engine.SwitchAsync(synced.Id);
        }

        RecordCrash($"switch, at \"{step}\"", switched.State, !await m.LogIntactAsync("h2"));

        output.WriteLine($"after the rerun: {switched.State}, {switched.Phases[^1].Outcome}");
        Assert.Equal(MigrationState.Switched, switched.State);
        Assert.Null(switched.ActivePhase);
        var moved = await m.Service.WaitForServiceAsync();
        Assert.Equal("h2", moved.Hostname);
        Assert.Equal(first.Token, moved.Token);
        Assert.Equal(release ? WorkloadState.Stopped : WorkloadState.Frozen, (await m.StatusAsync("h1")).State);
        await Task.Delay(300);
        var logged = await m.LoggedAsync("h2");
        Assert.Equal(Enumerable.Range(1, logged.Length).Select(n => (long)n), logged);

        var completed = await m.Engine.CompleteAsync(synced.Id);
        Assert.Equal(MigrationState.Completed, completed.State);
        Assert.Empty(await m.SnapshotsAsync("h2"));
    }

    [LabFact]
    public async Task KilledDuringCompleteOrUndoTheRerunFinishesTheJob()
    {
        await using var m = new MigrationLab(lab);
        var first = await m.StartAsync();
        var switched = await m.Engine.MoveAsync(m.Request(), new MoveOptions { MaxSyncRounds = 1 });

        var undo = await ControllerProcess.RunAndKillAsync(m, lab, "undo", switched.Id.Value, ControllerProcess.At("Undo", "Removing the copy"));
        Show(undo);
        Assert.True(undo.Killed);
        var undone = await m.Engine.UndoAsync(switched.Id);
        RecordCrash("undo, removing the copy", undone.State, !await m.LogIntactAsync("h1"));
        Assert.Equal(MigrationState.RolledBack, undone.State);
        Assert.Equal("h1", (await m.Service.WaitForServiceAsync()).Hostname);
        Assert.Equal(first.Token, (await m.Service.ReadAsync()).Token);
        Assert.False(await m.DatasetExistsAsync("h2"));
        Assert.Empty(await m.SnapshotsAsync("h1"));

        var again = await m.Engine.MoveAsync(m.Request(), new MoveOptions { MaxSyncRounds = 1 });
        Assert.NotEqual(switched.Id, again.Id);
        var complete = await ControllerProcess.RunAndKillAsync(m, lab, "complete", again.Id.Value, ControllerProcess.At("Complete", "Removing"));
        Show(complete);
        Assert.True(complete.Killed);
        var completed = await m.Engine.CompleteAsync(again.Id);
        RecordCrash("complete, removing snapshots", completed.State, !await m.LogIntactAsync("h2"));
        Assert.Equal(MigrationState.Completed, completed.State);
        Assert.False(await m.DatasetExistsAsync("h1"));
        Assert.Empty(await m.SnapshotsAsync("h2"));
        Assert.False(await m.ClaimExistsAsync());
        Assert.Equal("h2", (await m.Service.ReadAsync()).Hostname);
    }

    private static void RecordCrash(string where, MigrationState state, bool dataLost) =>
        Reliability.ReliabilityLog.Record(Reliability.ReliabilityLog.Kind.Fault, "Controller killed during " + where,
            "running the phase again brings the migration to its end; the workload runs on one host; no data lost",
            $"rerun ended {state}", dataLost);

    private static async Task AssertRunsOnExactlyOneHostAsync(MigrationLab m) =>
        Assert.NotEqual("h1 and h2", await m.RunningOnAsync());

    private void Show(ControllerProcess.Outcome outcome)
    {
        output.WriteLine($"controller {(outcome.Killed ? "killed" : "ended with " + outcome.ExitCode)} after {outcome.Lines.Count} lines:");
        foreach (var line in outcome.Lines.TakeLast(4))
        {
            output.WriteLine("  " + line);
        }
    }
}
