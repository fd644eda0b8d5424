using MigrationTools.Engine.Criu;
using MigrationTools.Engine.Journal;
using MigrationTools.Engine.Migrations;
using MigrationTools.Engine.Workloads;
using MigrationTools.Lab.Tests.Lab;
using MigrationTools.Lab.Tests.Migrations;
using Xunit.Abstractions;

namespace MigrationTools.Lab.Tests.Returning;

/// <summary>Undo that keeps what the counter service did on h2: it moves back to h1 as it runs there.</summary>
[Collection(LabCollection.Name)]
public sealed class UndoKeepingChangesLabTests(LabFixture lab, ITestOutputHelper output)
{
    private const string KeptFile = "written-on-h2.txt";

    [LabFact]
    public async Task ALiveUndoKeepingChangesRestoresTheSameProcessOnH1WithWhatItDidOnH2()
    {
        await using var m = new MigrationLab(lab);
        var first = await m.StartAsync();
        var switched = await m.Engine.MoveAsync(m.Request(), new MoveOptions { MaxSyncRounds = 1 });
        Assert.Equal("h2", (await m.Service.WaitForServiceAsync()).Hostname);
        var marker = Guid.NewGuid().ToString("N");
        await lab.SshCheckedAsync("h2", $"echo {marker} > {m.Service.DataDirectory}/{KeptFile}");
        await Task.Delay(300);
        var beforeUndo = await m.Service.ReadAsync();
        var loggedOnH2 = await m.Service.LoggedValuesAsync("h2");
        var progress = new ProgressLog();

        var undone = await m.Engine.UndoAsync(switched.Id, keepChanges: true, progress);

        output.WriteLine(string.Join("\n", progress.Items.Select(p => p.Activity)));
        output.WriteLine(undone.Phases[^1].Outcome);
        Assert.Equal(MigrationState.RolledBack, undone.State);
        Assert.Equal(WorkloadOwner.Source, undone.Owner);
        Assert.Null(undone.ActivePhase);
        Assert.Null(undone.Return);
        Assert.Null(undone.CheckpointedProcess);
        Assert.Contains("was kept", undone.Phases[^1].Outcome, StringComparison.Ordinal);
        Assert.True(undone.Phases[^1].Bytes > 0, "nothing was sent back");
        Assert.Contains(progress.Items, p => p.Activity.StartsWith("Checkpointing", StringComparison.Ordinal));
        Assert.Contains(progress.Items, p => p.Activity.StartsWith("Restoring", StringComparison.Ordinal));

        // Restored, not restarted: the same token, and the counter went on from where it was on h2.
        var back = await m.Service.WaitForServiceAsync();
        Assert.Equal("h1", back.Hostname);
        Assert.Equal(first.Token, back.Token);
        Assert.True(back.Counter >= beforeUndo.Counter, $"the counter went back from {beforeUndo.Counter} to {back.Counter}");
        await Task.Delay(300);
        Assert.True((await m.Service.ReadAsync()).Counter > back.Counter, "the service does not count on after the undo");
        Assert.Equal(marker, (await lab.SshCheckedAsync("h1", $"cat {m.Service.DataDirectory}/{KeptFile}")).Trim());
        Assert.True(await m.LogIntactAsync("h1"), "the counter's log on h1 lost or repeated values");
        Assert.True(await m.Service.LoggedValuesAsync("h1") >= loggedOnH2, "the lines logged on h2 are not on h1");

        await AssertNothingLeftAsync(m);
        Assert.Equal(MigrationRecordJson.Serialize(undone), MigrationRecordJson.Serialize(await m.Engine.UndoAsync(switched.Id, keepChanges: true)));
    }

    [LabFact]
    public async Task ARestartModeUndoKeepingChangesStartsTheServiceOnH1OverTheDataOfH2()
    {
        await using var m = new MigrationLab(lab, s => s.ManifestWith(CheckpointMode.Restart));
        var first = await m.StartAsync();
        var switched = await m.Engine.MoveAsync(m.Request(), new MoveOptions { MaxSyncRounds = 1 });
        var onH2 = await m.Service.WaitForServiceAsync();
        Assert.Equal("h2", onH2.Hostname);
        Assert.NotEqual(first.Token, onH2.Token);
        var marker = Guid.NewGuid().ToString("N");
        await lab.SshCheckedAsync("h2", $"echo {marker} > {m.Service.DataDirectory}/{KeptFile}");
        await Task.Delay(300);

        var undone = await m.Engine.UndoAsync(switched.Id, keepChanges: true);
        var loggedOnH1 = await m.LoggedAsync("h1");

        output.WriteLine(undone.Phases[^1].Outcome);
        Assert.Equal(MigrationState.RolledBack, undone.State);
        Assert.Contains("was kept", undone.Phases[^1].Outcome, StringComparison.Ordinal);
        var back = await m.Service.WaitForServiceAsync();
        Assert.Equal("h1", back.Hostname);
        Assert.NotEqual(onH2.Token, back.Token);
        Assert.Equal(marker, (await lab.SshCheckedAsync("h1", $"cat {m.Service.DataDirectory}/{KeptFile}")).Trim());
        // The log holds what h1 counted, then h2's count from 1 after its start there, then h1's again from 1; an undo
        // that discarded h2's changes would leave two runs.
        Assert.True(loggedOnH1.Count(v => v == 1) >= 3, "the lines the service logged on h2 are not on h1");
        await AssertNothingLeftAsync(m);
    }

    [LabTheory]
    [InlineData(CheckpointMode.Criu)]
    [InlineData(CheckpointMode.Restart)]
    public async Task AServiceUnhealthyOnH1AfterTheReturnKeepsRunningOnH2(CheckpointMode mode)
    {
        var onlyOnH2 = HealthCheck.ForCommand(["sh", "-c", "test \"$(hostname)\" = h2"], 3);
        await using var m = new MigrationLab(lab, s => s.ManifestWith(mode, onlyOnH2));
        await m.StartAsync();
        var switched = await m.Engine.MoveAsync(m.Request(), new MoveOptions { MaxSyncRounds = 1 });
        var onH2 = await m.Service.WaitForServiceAsync();
        Assert.Equal("h2", onH2.Hostname);

        var failure = await Assert.ThrowsAsync<MigrationFailedException>(() => m.Engine.UndoAsync(switched.Id, keepChanges: true));

        output.WriteLine(failure.Message);
        var record = new MigrationJournal(m.JournalDirectory).Load(switched.Id);
        Assert.Equal(MigrationState.Switched, record.State);
        Assert.Equal(WorkloadOwner.Destination, record.Owner);
        Assert.Null(record.Return);
        Assert.Null(record.ActivePhase);
        Assert.Contains("did not become healthy on h1", record.LastError, StringComparison.Ordinal);
        Assert.Contains("keeps running on h2", record.LastError, StringComparison.Ordinal);
        Assert.Equal("h2", await m.RunningOnAsync());
        var still = await m.Service.WaitForServiceAsync();
        Assert.Equal("h2", still.Hostname);
        if (mode == CheckpointMode.Criu)
        {
            // Resumed from its frozen tree: the same process, its counter not gone back.
            Assert.Equal(onH2.Token, still.Token);
            Assert.True(still.Counter >= onH2.Counter, $"the counter went back from {onH2.Counter} to {still.Counter}");
            Assert.True(await m.LogIntactAsync("h2"), "the counter's log on h2 lost or repeated values");
        }
        Assert.False(await m.WritableAsync("h1"));
        Assert.True(await m.WritableAsync("h2"));

        // The migration can still complete: the workload's data and process are on h2.
        var completed = await m.Engine.CompleteAsync(switched.Id);
        Assert.Equal(MigrationState.Completed, completed.State);
        Assert.Equal(still.Token, (await m.Service.ReadAsync()).Token);
    }

    [LabTheory]
    [InlineData("Checkpointing", true)]
    [InlineData("Sending the checkpoint back", true)]
    [InlineData("Restoring", false)]
    [InlineData("Ending the frozen tree on h2", true)]
    [InlineData("Removing the copy", false)]
    public async Task AControllerThatDiesDuringTheReturnIsFinishedByUndoAgain(string killAt, bool keepChangesAgain)
    {
        await using var m = new MigrationLab(lab);
        var first = await m.StartAsync();
        var switched = await m.Engine.MoveAsync(m.Request(), new MoveOptions { MaxSyncRounds = 1 });
        Assert.Equal("h2", (await m.Service.WaitForServiceAsync()).Hostname);
        var marker = Guid.NewGuid().ToString("N");
        await lab.SshCheckedAsync("h2", $"echo {marker} > {m.Service.DataDirectory}/{KeptFile}");
        var beforeUndo = await m.Service.ReadAsync();

        var crash = await ControllerProcess.RunAndKillAsync(
            m, lab, "undo-keeping-changes", switched.Id.Value, ControllerProcess.At(nameof(MigrationPhase.Undo), killAt));

        output.WriteLine(string.Join("\n", crash.Lines));
        Assert.True(crash.Killed, "the controller ended before " + killAt);
        var interrupted = new MigrationJournal(m.JournalDirectory).Load(switched.Id);
        Assert.Equal(MigrationPhase.Undo, interrupted.ActivePhase);
        Assert.NotNull(interrupted.Return);
        // Complete would destroy h1's datasets, which may already hold the workload's changes, or run it.
        await Assert.ThrowsAsync<MigrationRefusedException>(() => m.Engine.CompleteAsync(switched.Id));

        // Undo again, with or without keeping changes, continues the undo that keeps them.
        var undone = keepChangesAgain ? await m.Engine.UndoAsync(switched.Id, keepChanges: true) : await m.Engine.UndoAsync(switched.Id);

        output.WriteLine(undone.Phases[^1].Outcome);
        Assert.Equal(MigrationState.RolledBack, undone.State);
        Assert.Contains("was kept", undone.Phases[^1].Outcome, StringComparison.Ordinal);
        Assert.Null(undone.Return);
        var back = await m.Service.WaitForServiceAsync();
        Assert.Equal("h1", back.Hostname);
        Assert.Equal(first.Token, back.Token);
        Assert.True(back.Counter >= beforeUndo.Counter, $"the counter went back from {beforeUndo.Counter} to {back.Counter}");
        Assert.Equal(marker, (await lab.SshCheckedAsync("h1", $"cat {m.Service.DataDirectory}/{KeptFile}")).Trim());
        Assert.True(await m.LogIntactAsync("h1"), "the counter's log on h1 lost or repeated values");
        await AssertNothingLeftAsync(m);
    }

    /// <summary>h2 holds nothing of the workload any more, h1's dataset is its own again, and the migration is over.</summary>
    private async Task AssertNothingLeftAsync(MigrationLab m)
    {
        Assert.Equal(WorkloadState.Running, (await m.StatusAsync("h1")).State);
        Assert.Equal(WorkloadState.Stopped, (await m.StatusAsync("h2")).State);
        Assert.Equal("h1", await m.RunningOnAsync());
        Assert.NotEqual("", await CounterProcessesAsync(m, "h1"));
        Assert.Equal("", await CounterProcessesAsync(m, "h2"));
        Assert.False(await m.DatasetExistsAsync("h2"));
        Assert.Null(await m.DeclaredAsync("h2"));
        foreach (var host in new[] { "h1", "h2" })
        {
            Assert.Equal("", (await lab.SshCheckedAsync(host, $"ls -d {CriuImageDirectory.DefaultParent}/{m.Service.Name}-* 2>/dev/null; true")).Trim());
        }

        Assert.True(await m.WritableAsync("h1"));
        Assert.Empty(await m.SnapshotsAsync("h1"));
        Assert.Equal("-", await m.PropertyAsync("h1", MigrationClaim.PropertyName.Value));
        Assert.False(await m.ClaimExistsAsync());
    }

    /// <summary>The PIDs of every process on <paramref name="host"/> that runs this test's counter script, recorded or not.</summary>
    private async Task<string> CounterProcessesAsync(MigrationLab m, string host) =>
        // The script's path is split in the command, so that the shell running it does not match itself.
        (await lab.SshCheckedAsync(host,
            $"d='{m.Service.DataDirectory}'; for p in /proc/[0-9]*; do case $(tr '\\000' ' ' 2>/dev/null < $p/cmdline) in *\"$d/counter.py \"*) echo ${{p#/proc/}};; esac; done"))
        .Trim();
}
