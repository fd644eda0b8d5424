using System.Diagnostics;
using System.Text.Json;
using MigrationTools.Engine.Workloads;
using MigrationTools.Lab.Tests.Lab;
using Xunit.Abstractions;

namespace MigrationTools.Lab.Tests.Cli;

/// <summary>
/// The built migrationtools tool driving migrations of the counter service from h1 to h2, as a shell script would:
/// a whole move, each phase by hand, and one exit code for each way a command can fail.
/// </summary>
[Collection(LabCollection.Name)]
public sealed class CliLabTests(LabFixture lab, ITestOutputHelper output)
{
    [LabFact]
    public async Task AMoveWithJsonMovesTheCounterLiveAndWritesItsRecordAndNdjsonProgress()
    {
        await using var counter = new CliCounter(lab);
        var first = await counter.RegisterAndStartAsync(counter.TcpHealth);
        await Task.Delay(500);

        var move = (await CliTool.RunAsync([
            "move", counter.Name, "--from", "h1", "--to", "h2", .. CliCounter.LabSettings, "--max-sync-rounds", "2", "--complete",
            .. counter.Engine, "--json", "--progress", "json",
        ])).Expect(0);

        var record = move.Json;
        output.WriteLine(move.Out);
        var id = record.GetProperty("id").GetString()!;
        Assert.Matches("^m-[0-9a-f]{12}$", id);
        Assert.Equal(counter.Name, record.GetProperty("workload").GetString());
        Assert.Equal("completed", record.GetProperty("state").GetString());
        Assert.Equal("destination", record.GetProperty("owner").GetString());
        var phases = record.GetProperty("phases").EnumerateArray().Select(p => p.GetProperty("phase").GetString()!).ToArray();
        Assert.Equal("begin", phases[0]);
        Assert.Equal(["switch", "complete"], phases[^2..]);
        Assert.All(phases[1..^2], phase => Assert.Equal("sync", phase));
        Assert.True(record.GetProperty("bytesTransferred").GetInt64() > 1 << 20, "less than the checkpoint's size was moved");
        Assert.True(record.GetProperty("downtimeSeconds").GetDouble() > 0);
        Assert.True(record.GetProperty("downtimeParts").GetProperty("restoreSeconds").GetDouble() > 0);
        Assert.False(record.GetProperty("settings").GetProperty("releaseSourceBeforeRestore").GetBoolean());

        // Progress went to standard error as NDJSON, so standard output stayed one document.
        var events = move.ProgressEvents;
        Assert.All(events, e => Assert.Equal(id, e.GetProperty("migration").GetString()));
        Assert.Contains(events, e => e.GetProperty("phase").GetString() == "begin" && e.GetProperty("transfer").ValueKind == JsonValueKind.Object &&
            e.GetProperty("transfer").GetProperty("bytes").GetInt64() > 0);
        Assert.Contains(events, e => e.GetProperty("activity").GetString()!.StartsWith("Restoring", StringComparison.Ordinal));
        Assert.Contains(events, e => e.GetProperty("phase").GetString() == "complete");

        var moved = await counter.Service.WaitForServiceAsync();
        Assert.Equal("h2", moved.Hostname);
        Assert.Equal(first.Token, moved.Token);
        Assert.True(moved.Counter >= first.Counter, "the counter was reset");
        var logged = await counter.Lab.LoggedAsync("h2");
        Assert.Equal(Enumerable.Range(1, logged.Length).Select(n => (long)n), logged);
        Assert.False(await counter.Lab.DatasetExistsAsync("h1"));

        var listed = (await CliTool.RunAsync(["workload", "list", "h1", "h2", .. counter.Connection, "--json"])).Expect(0).Json;
        var workload = Assert.Single(listed.EnumerateArray());
        Assert.Equal("h2", workload.GetProperty("computerName").GetString());
        Assert.Equal("running", workload.GetProperty("state").GetString());

        var shown = (await CliTool.RunAsync(["migration", "show", id, "--journal", counter.Lab.JournalDirectory, "--json"])).Expect(0).Json;
        Assert.Equal(record.GetProperty("version").GetInt32(), shown.GetProperty("version").GetInt32());
        Assert.Equal("completed", shown.GetProperty("state").GetString());
        var journal = (await CliTool.RunAsync(["migration", "list", "--journal", counter.Lab.JournalDirectory, "--json"])).Expect(0).Json;
        Assert.Equal([id], journal.EnumerateArray().Select(m => m.GetProperty("id").GetString()));
    }

    [LabFact]
    public async Task EachPhaseByHandStartSyncSwitchAndCompleteMovesTheCounter()
    {
        await using var counter = new CliCounter(lab);
        var first = await counter.RegisterAndStartAsync(counter.TcpHealth);

        var plan = (await CliTool.RunAsync(["migration", "test", counter.Name, "--from", "h1", "--to", "h2", .. counter.Engine, "--json"])).Expect(0).Json;
        Assert.True(plan.GetProperty("passed").GetBoolean());
        Assert.Contains(plan.GetProperty("checks").EnumerateArray(), c => c.GetProperty("name").GetString() == "CriuCheck");

        var begun = (await CliTool.RunAsync([
            "migration", "start", counter.Name, "--from", "h1", "--to", "h2", .. CliCounter.LabSettings, .. counter.Engine, "--json",
        ])).Expect(0).Json;
        var id = begun.GetProperty("id").GetString()!;
        Assert.Equal("begun", begun.GetProperty("state").GetString());
        Assert.Equal("h1", (await counter.Service.ReadAsync()).Hostname);

        var synced = (await CliTool.RunAsync(["migration", "sync", id, .. counter.Engine, "--json"])).Expect(0).Json;
        Assert.Equal("synced", synced.GetProperty("state").GetString());
        Assert.Equal(1, synced.GetProperty("syncCount").GetInt32());

        var switched = (await CliTool.RunAsync(["migration", "switch", id, .. counter.Engine, "--json"])).Expect(0).Json;
        Assert.Equal("switched", switched.GetProperty("state").GetString());
        Assert.Equal("destination", switched.GetProperty("owner").GetString());
        var moved = await counter.Service.WaitForServiceAsync();
        Assert.Equal(("h2", first.Token), (moved.Hostname, moved.Token));
        Assert.True(await counter.Lab.DatasetExistsAsync("h1"), "the switch must keep the source's copy for undo");

        // Without --json a person gets the block of text, with the next step named.
        var shown = (await CliTool.RunAsync(["migration", "show", id, "--journal", counter.Lab.JournalDirectory])).Expect(0);
        Assert.Contains($"Next       migrationtools migration complete {id}", shown.Out, StringComparison.Ordinal);

        var completed = (await CliTool.RunAsync(["migration", "complete", id, "--keep-source-datasets", .. counter.Engine, "--json"])).Expect(0).Json;
        Assert.Equal("completed", completed.GetProperty("state").GetString());
        Assert.True(await counter.Lab.DatasetExistsAsync("h1"), "--keep-source-datasets destroyed the source's datasets");
        Assert.False(await counter.Lab.WritableAsync("h1"));
        Assert.Equal(WorkloadState.Stopped, (await counter.Lab.StatusAsync("h1")).State);
        Assert.Equal(first.Token, (await counter.Service.ReadAsync()).Token);
    }

    [LabFact]
    public async Task UndoAfterASwitchPutsTheCounterBackOnH1AndAbortBeforeOneLeavesItThere()
    {
        await using var counter = new CliCounter(lab);
        var first = await counter.RegisterAndStartAsync(counter.TcpHealth);
        string[] start = ["migration", "start", counter.Name, "--from", "h1", "--to", "h2", .. CliCounter.LabSettings, .. counter.Engine, "--json"];

        var id = (await CliTool.RunAsync(start)).Expect(0).Json.GetProperty("id").GetString()!;
        (await CliTool.RunAsync(["migration", "switch", id, .. counter.Engine, "--json"])).Expect(0);
        Assert.Equal("h2", (await counter.Service.WaitForServiceAsync()).Hostname);

        var undone = (await CliTool.RunAsync(["migration", "undo", id, .. counter.Engine, "--json"])).Expect(0).Json;

        Assert.Equal("rolledBack", undone.GetProperty("state").GetString());
        Assert.Equal("source", undone.GetProperty("owner").GetString());
        var back = await counter.Service.WaitForServiceAsync();
        Assert.Equal(("h1", first.Token), (back.Hostname, back.Token));
        Assert.False(await counter.Lab.DatasetExistsAsync("h2"));

        var second = (await CliTool.RunAsync(start)).Expect(0).Json.GetProperty("id").GetString()!;
        Assert.NotEqual(id, second);
        Assert.True(await counter.Lab.DatasetExistsAsync("h2"));

        var aborted = (await CliTool.RunAsync(["migration", "abort", second, .. counter.Engine, "--json"])).Expect(0).Json;

        Assert.Equal("aborted", aborted.GetProperty("state").GetString());
        Assert.False(await counter.Lab.DatasetExistsAsync("h2"));
        Assert.False(await counter.Lab.ClaimExistsAsync());
        Assert.Equal(("h1", first.Token), ((await counter.Service.ReadAsync()).Hostname, (await counter.Service.ReadAsync()).Token));
        var active = (await CliTool.RunAsync(["migration", "list", "--active", "--journal", counter.Lab.JournalDirectory, "--json"])).Expect(0).Json;
        Assert.Empty(active.EnumerateArray());
    }

    [LabFact]
    public async Task AMalformedValueExitsTwoAndChangesNothing()
    {
        await using var counter = new CliCounter(lab);
        await counter.RegisterAndStartAsync(counter.TcpHealth);

        var journal = counter.Lab.JournalDirectory + "-unused";

        var run = await CliTool.RunAsync([
            "move", counter.Name, "--from", "h1", "--to", "h2", "--bandwidth-limit", "lots", .. counter.Connection, "--journal", journal, "--json",
        ]);

        Assert.Equal(2, run.ExitCode);
        Assert.Equal("usage", run.Json.GetProperty("error").GetProperty("kind").GetString());
        Assert.Contains("--bandwidth-limit: 'lots' is not a bandwidth limit", run.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(journal), "a refused command line created the journal");
        Assert.False(await counter.Lab.DatasetExistsAsync("h2"));
        Assert.False(await counter.Lab.ClaimExistsAsync());
    }

    [LabFact]
    public async Task MovingToTheSameHostOrMovingAManualWorkloadIsRefusedWithThreeAndChangesNothing()
    {
        await using var counter = new CliCounter(lab);
        await counter.RegisterAndStartAsync([.. counter.TcpHealth, "--migration-policy", "manual"]);

        var same = await CliTool.RunAsync(["move", counter.Name, "--from", "h1", "--to", "h1", .. counter.Engine, "--json"]);
        var manual = await CliTool.RunAsync(["migration", "start", counter.Name, "--from", "h1", "--to", "h2", .. counter.Engine, "--json"]);
        var test = await CliTool.RunAsync(["migration", "test", counter.Name, "--from", "h1", "--to", "h2", .. counter.Engine]);

        Assert.Equal(3, same.ExitCode);
        Assert.Equal("refused", same.Json.GetProperty("error").GetProperty("kind").GetString());
        Assert.Contains(same.Json.GetProperty("plan").GetProperty("checks").EnumerateArray(),
            c => c.GetProperty("name").GetString() == "DistinctHosts" && !c.GetProperty("passed").GetBoolean());
        Assert.Equal(3, manual.ExitCode);
        Assert.Contains(manual.Json.GetProperty("plan").GetProperty("checks").EnumerateArray(),
            c => c.GetProperty("name").GetString() == "MigrationPolicy" && !c.GetProperty("passed").GetBoolean());
        Assert.Contains("MigrationPolicy:", manual.Error, StringComparison.Ordinal);
        Assert.Equal(3, test.ExitCode);
        Assert.Contains("REFUSED, 1 of", test.Out, StringComparison.Ordinal);

        var journal = (await CliTool.RunAsync(["migration", "list", "--journal", counter.Lab.JournalDirectory, "--json"])).Expect(0).Json;
        Assert.Empty(journal.EnumerateArray());
        Assert.False(await counter.Lab.DatasetExistsAsync("h2"));
        Assert.False(await counter.Lab.ClaimExistsAsync());
        Assert.Equal(WorkloadState.Running, (await counter.Lab.StatusAsync("h1")).State);

        // --force is the way past a manual policy, as the refusal says.
        var forced = await CliTool.RunAsync(["migration", "test", counter.Name, "--from", "h1", "--to", "h2", "--force", .. counter.Engine]);
        Assert.Equal(0, forced.ExitCode);
    }

    [LabFact]
    public async Task AHealthCheckThatFailsOnlyOnH2RollsTheSwitchBackWithFour()
    {
        await using var counter = new CliCounter(lab);
        var first = await counter.RegisterAndStartAsync("--health-command", "test \"$(hostname)\" = h1", "--health-timeout", "3");

        var move = await CliTool.RunAsync(["move", counter.Name, "--from", "h1", "--to", "h2", .. CliCounter.LabSettings, .. counter.Engine, "--json"]);

        output.WriteLine(move.Error);
        Assert.Equal(4, move.ExitCode);
        var failure = move.Json;
        Assert.Equal("rolledBack", failure.GetProperty("error").GetProperty("kind").GetString());
        var record = failure.GetProperty("migration");
        Assert.Equal("synced", record.GetProperty("state").GetString());
        Assert.Equal("source", record.GetProperty("owner").GetString());
        Assert.Contains("did not become healthy on h2", record.GetProperty("lastError").GetString(), StringComparison.Ordinal);
        Assert.Contains($"runs on h1 as before", move.Error, StringComparison.Ordinal);
        var back = await counter.Service.WaitForServiceAsync();
        Assert.Equal(("h1", first.Token), (back.Hostname, back.Token));
        Assert.Equal(WorkloadState.Stopped, (await counter.Lab.StatusAsync("h2")).State);

        var aborted = await CliTool.RunAsync(["migration", "abort", record.GetProperty("id").GetString()!, .. counter.Engine]);
        Assert.Equal(0, aborted.ExitCode);
        Assert.False(await counter.Lab.DatasetExistsAsync("h2"));
    }

    [LabFact]
    public async Task ACompleteThatFailsHalfWayNeedsAttentionWithFiveAndRunningItAgainFinishesIt()
    {
        await using var counter = new CliCounter(lab);
        await counter.RegisterAndStartAsync(counter.TcpHealth);
        var id = (await CliTool.RunAsync([
            "move", counter.Name, "--from", "h1", "--to", "h2", .. CliCounter.LabSettings, .. counter.Engine, "--json",
        ])).Expect(0).Json.GetProperty("id").GetString()!;

        // A directory where h1's manifest file was: complete destroys the source's copy, then cannot remove the manifest.
        var manifest = counter.Service.Paths.ManifestFile(counter.Service.Name);
        await lab.SshCheckedAsync("h1", $"rm -f {manifest} && mkdir {manifest}");
        var failed = await CliTool.RunAsync(["migration", "complete", id, .. counter.Engine, "--json"]);

        output.WriteLine(failed.Error);
        Assert.Equal(5, failed.ExitCode);
        Assert.Equal("needsAttention", failed.Json.GetProperty("error").GetProperty("kind").GetString());
        Assert.Equal("switched", failed.Json.GetProperty("migration").GetProperty("state").GetString());
        Assert.Contains($"migrationtools migration show {id}", failed.Error, StringComparison.Ordinal);
        Assert.Equal("h2", (await counter.Service.ReadAsync()).Hostname);

        await lab.SshCheckedAsync("h1", $"rmdir {manifest}");
        var completed = (await CliTool.RunAsync(["migration", "complete", id, .. counter.Engine, "--json"])).Expect(0).Json;
        Assert.Equal("completed", completed.GetProperty("state").GetString());
        Assert.False(await counter.Lab.DatasetExistsAsync("h1"));
    }

    [LabFact]
    public async Task CtrlCDuringTheSwitchRollsItBackAndExitsFour()
    {
        await using var counter = new CliCounter(lab);
        var first = await counter.RegisterAndStartAsync(counter.TcpHealth);
        var id = (await CliTool.RunAsync([
            "migration", "start", counter.Name, "--from", "h1", "--to", "h2", .. CliCounter.LabSettings, .. counter.Engine, "--json",
        ])).Expect(0).Json.GetProperty("id").GetString()!;

        var lines = new List<string>();
        using var frozen = new SemaphoreSlim(0);
        using var process = CliTool.Start(["migration", "switch", id, .. counter.Engine, "--json", "--progress", "json"], line =>
        {
            lock (lines)
            {
                lines.Add(line);
            }

            if (line.Contains("\"Sending the checkpoint to h2\"", StringComparison.Ordinal))
            {
                frozen.Release();
            }
        });
        var stdout = process.StandardOutput.ReadToEndAsync();
        Assert.True(await frozen.WaitAsync(TimeSpan.FromMinutes(2)), "the switch never reached its checkpoint");

        // SIGINT, as Ctrl+C sends it, to the tool's own process (started here, ended by its PID only).
        Assert.Equal(0, Kill(process.Id, "INT"));
        using (var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3)))
        {
            await process.WaitForExitAsync(timeout.Token);
        }

        output.WriteLine(string.Join('\n', lines));
        Assert.Equal(4, process.ExitCode);
        var failure = JsonDocument.Parse(await stdout).RootElement;
        Assert.Equal("rolledBack", failure.GetProperty("error").GetProperty("kind").GetString());
        Assert.Contains("cancelled", failure.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal("synced", failure.GetProperty("migration").GetProperty("state").GetString());
        Assert.Contains(lines, l => l.StartsWith("Interrupted: stopping safely", StringComparison.Ordinal));
        var back = await counter.Service.WaitForServiceAsync();
        Assert.Equal(("h1", first.Token), (back.Hostname, back.Token));
        Assert.Equal(WorkloadState.Stopped, (await counter.Lab.StatusAsync("h2")).State);
        (await CliTool.RunAsync(["migration", "abort", id, .. counter.Engine])).Expect(0);
    }

    private static int Kill(int pid, string signal)
    {
        using var kill = Process.Start("kill", ["-" + signal, pid.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
        return kill.ExitCode;
    }
}
