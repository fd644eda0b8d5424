using System.Text.Json;
using MigrationTools.Cli.Commands;
using MigrationTools.Cli.Output;
using MigrationTools.Engine.Draining;
using MigrationTools.Engine.Migrations;
using MigrationTools.Engine.Transfer;

namespace MigrationTools.Cli.Tests;

/// <summary>The drain command: its command line, its exit code from the failures, and how its progress and results read.</summary>
public sealed class DrainCommandTests : IDisposable
{
    private static readonly MigrationId Id = MigrationId.Parse("m-0123456789ab");
    private readonly StringWriter _error = new();
    private DateTimeOffset _now = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);

    public void Dispose() => _error.Dispose();

    private DrainProgressRenderer Renderer(ProgressMode mode, bool terminal = false) =>
        new(mode, new CliConsole(TextWriter.Null, _error, terminal, 100), () => _now);

    private string[] Lines => _error.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);

    [Theory]
    [InlineData(new[] { "drain", "h1" }, "--to")]
    [InlineData(new[] { "drain", "h1", "--to", "h2", "--parallel", "0" }, "--parallel takes a whole number from 1 to 64; '0' is not.")]
    [InlineData(new[] { "drain", "h1", "--to", "h2", "--parallel", "65" }, "--parallel takes a whole number from 1 to 64")]
    [InlineData(new[] { "drain", "h1", "--to", "h2", "--max-per-host", "0" }, "--max-per-host takes a whole number from 1 to 64")]
    [InlineData(new[] { "drain", "h1", "--to", "h2", "--bandwidth-per-host", "fast" }, "--bandwidth-per-host: 'fast' is not a bandwidth limit")]
    [InlineData(new[] { "drain", "h1", "--to", "h2", "--order", "fastest" }, "--order")]
    [InlineData(new[] { "drain", "h1", "--to", "h2,-oProxyCommand=x" }, "--to: '-oProxyCommand=x': ")]
    [InlineData(new[] { "drain", "h1", "--to", "h2,root@H1" }, "--to names the host being drained (h1)")]
    public async Task ABadDrainCommandLineIsAUsageErrorBeforeAnyHostIsReached(string[] args, string message)
    {
        var outcome = await CliHarness.RunAsync([.. args, "--ssh-config", "/nonexistent/config"]);
        Assert.Equal(ExitCodes.Usage, outcome.ExitCode);
        Assert.Contains(message, outcome.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DrainIsListedWithItsOptionsAndExamples()
    {
        var root = await CliHarness.RunAsync("--help");
        Assert.Contains("drain", root.Out, StringComparison.Ordinal);
        var help = await CliHarness.RunAsync("drain", "--help");
        Assert.Equal(ExitCodes.Success, help.ExitCode);
        foreach (var option in new[] { "--to", "--parallel", "--order", "--max-per-host", "--bandwidth-per-host", "--what-if", "--force", "--complete", "--direct", "--json" })
        {
            Assert.Contains(option, help.Out, StringComparison.Ordinal);
        }

        Assert.Contains("migrationtools drain h1 --to h2,h3 --parallel 3 --complete", help.Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new int[0], false, ExitCodes.Success)]
    [InlineData(new[] { ExitCodes.RolledBack }, false, ExitCodes.RolledBack)]
    [InlineData(new[] { ExitCodes.Refused, ExitCodes.RolledBack }, false, ExitCodes.RolledBack)]
    [InlineData(new[] { ExitCodes.Refused }, false, ExitCodes.Refused)]
    [InlineData(new[] { ExitCodes.RolledBack, ExitCodes.Error }, false, ExitCodes.Error)]
    [InlineData(new[] { ExitCodes.Error, ExitCodes.NeedsAttention, ExitCodes.RolledBack }, false, ExitCodes.NeedsAttention)]
    [InlineData(new[] { ExitCodes.Cancelled }, true, ExitCodes.Cancelled)]
    [InlineData(new int[0], true, ExitCodes.Cancelled)]
    [InlineData(new[] { ExitCodes.NeedsAttention, ExitCodes.Cancelled }, true, ExitCodes.NeedsAttention)]
    public void TheExitCodeIsTheMostSeriousFailures(int[] failures, bool interrupted, int expected) =>
        Assert.Equal(expected, DrainExitCode.Of(failures, interrupted));

    [Fact]
    public void PlainProgressWritesStartsStepsAndTheTotalsWhenTheyChange()
    {
        var renderer = Renderer(ProgressMode.Plain);
        renderer.Status(new DrainStatus(2, 0, 0, 0, 0, 300 << 20, null));
        renderer.Started("web", "web from h1 to h2");
        renderer.Status(new DrainStatus(1, 1, 0, 0, 0, 300 << 20, null));
        renderer.Progress("web", Copying(10 << 20));
        _now += TimeSpan.FromSeconds(1);
        renderer.Progress("web", Copying(20 << 20));
        renderer.Status(new DrainStatus(1, 1, 0, 0, 20 << 20, 300 << 20, TimeSpan.FromSeconds(28)));
        renderer.Ended("web", () => _error.WriteLine("result"));
        renderer.Finish();

        Assert.Equal(
        [
            "[drain] 0 done, 0 running, 2 waiting  0 B of ~300.0 MiB (0%)",
            "web from h1 to h2: started",
            "[drain] 0 done, 1 running, 1 waiting  0 B of ~300.0 MiB (0%)",
            "web: [begin] Copying tank/web to h2 (full)  10.0 MiB of ~100.0 MiB (10%)  10.0 MiB/s  ETA 0:09",
            "result",
            "[drain] 0 done, 1 running, 1 waiting  20.0 MiB of ~300.0 MiB (6%)  ETA 0:28",
        ], Lines);
    }

    [Fact]
    public void LiveProgressRedrawsAParentLineAndOneLinePerRunningMigrationInPlace()
    {
        var renderer = Renderer(ProgressMode.Live, terminal: true);
        renderer.Status(new DrainStatus(1, 2, 0, 0, 10 << 20, 300 << 20, null));
        renderer.Started("web", "web from h1 to h2");
        renderer.Started("db", "db from h1 to h3");
        _now += TimeSpan.FromSeconds(1);
        renderer.Progress("db", Copying(10 << 20));
        var drawn = _error.ToString();
        var lastBlock = drawn[(drawn.LastIndexOf("\u001b[J", StringComparison.Ordinal) + 3)..].Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lastBlock.Length);
        Assert.StartsWith("[drain] 0 done, 2 running, 1 waiting", lastBlock[0], StringComparison.Ordinal);
        Assert.Equal("  web from h1 to h2: starting", lastBlock[1]);
        Assert.StartsWith("  db [begin] Copying tank/web to h2 (full)  10.0 MiB of ~100.0 MiB", lastBlock[2], StringComparison.Ordinal);
        Assert.Contains("\u001b[3A", drawn, StringComparison.Ordinal);

        renderer.Ended("web", () => _error.Write("moved web\n"));
        var after = _error.ToString()[drawn.Length..];
        Assert.StartsWith("\u001b[3A\r\u001b[Jmoved web\n[drain]", after, StringComparison.Ordinal);
        Assert.Equal(3, after.Count(c => c == '\n'));
    }

    [Fact]
    public void JsonProgressWritesEachReportAndTheTotalsAsLines()
    {
        var renderer = Renderer(ProgressMode.Json);
        renderer.Status(new DrainStatus(1, 1, 0, 0, 5, 10, TimeSpan.FromSeconds(2)));
        renderer.Progress("web", Copying(1 << 20));
        var lines = Lines.Select(l => JsonDocument.Parse(l).RootElement).ToArray();
        Assert.Equal("drain", lines[0].GetProperty("type").GetString());
        Assert.Equal(1, lines[0].GetProperty("running").GetInt32());
        Assert.Equal(50, lines[0].GetProperty("percent").GetInt32());
        Assert.Equal(2.0, lines[0].GetProperty("etaSeconds").GetDouble());
        Assert.Equal("progress", lines[1].GetProperty("type").GetString());
        Assert.Equal(Id.Value, lines[1].GetProperty("migration").GetString());
    }

    [Fact]
    public void AResultLineSaysWhereTheWorkloadWentAndHow()
    {
        var rolledBack = new DrainWorkloadView("workload", "web", "h1", "h2", "failed", "the health check failed", "rolledBack", ExitCodes.RolledBack, null);
        Assert.Equal("failed      web  h1 -> h2  failed, rolled back: runs on h1 as before", DrainConsoleObserver.Describe(rolledBack));
        var skipped = new DrainWorkloadView("workload", "db", "h1", null, "skipped", "its migration policy is manual; --force moves it", null, null, null);
        Assert.Equal("skipped     db  h1  its migration policy is manual; --force moves it", DrainConsoleObserver.Describe(skipped));
        var line = JsonDocument.Parse(CliJson.Line(rolledBack)).RootElement;
        Assert.Equal(("workload", "failed", 4), (line.GetProperty("type").GetString(), line.GetProperty("status").GetString(), line.GetProperty("exitCode").GetInt32()));
    }

    private static MigrationProgress Copying(long bytes) =>
        new(Id, MigrationPhase.Begin, "Copying tank/web to h2 (full)", new TransferProgress(bytes, 100 << 20, true, TimeSpan.FromSeconds(1), 10 << 20, false));
}
