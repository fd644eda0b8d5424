using System.Text.Json;
using MigrationTools.Cli.Output;
using MigrationTools.Engine.Migrations;
using MigrationTools.Engine.Transfer;

namespace MigrationTools.Cli.Tests;

/// <summary>Progress on standard error: which reports are shown in each mode, and how a line reads.</summary>
public sealed class ProgressRendererTests : IDisposable
{
    private static readonly MigrationId Id = MigrationId.Parse("m-0123456789ab");
    private readonly StringWriter _error = new();
    private DateTimeOffset _now = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);

    private static MigrationProgress Copying(long bytes, bool complete = false, string activity = "Copying tank/web to h2 (full)") =>
        new(Id, MigrationPhase.Begin, activity, new TransferProgress(bytes, 100 << 20, true, TimeSpan.FromSeconds(2), 10 << 20, complete));

    private ProgressRenderer Renderer(ProgressMode mode, bool terminal = false, int width = 100) =>
        new(mode, new CliConsole(TextWriter.Null, _error, terminal, width), () => _now);

    public void Dispose() => _error.Dispose();

    private string[] Lines => _error.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);

    [Theory]
    [InlineData("Auto", true, "Live")]
    [InlineData("Auto", false, "Plain")]
    [InlineData("Json", true, "Json")]
    [InlineData("None", true, "None")]
    public void AutoIsLiveOnATerminalAndPlainElsewhere(string asked, bool terminal, string used) =>
        Assert.Equal(Enum.Parse<ProgressMode>(used), Renderer(Enum.Parse<ProgressMode>(asked), terminal).Mode);

    [Fact]
    public void PlainModeWritesEachStepAndThenALineEveryFewSecondsAndTheEnd()
    {
        var renderer = Renderer(ProgressMode.Plain);

        renderer.Report(Copying(1 << 20));
        _now += TimeSpan.FromSeconds(1);
        renderer.Report(Copying(2 << 20));
        _now += ProgressRenderer.PlainInterval;
        renderer.Report(Copying(50 << 20));
        _now += TimeSpan.FromMilliseconds(10);
        renderer.Report(Copying(100 << 20, complete: true));
        renderer.Report(new MigrationProgress(Id, MigrationPhase.Switch, "Restoring web on h2"));

        Assert.Equal(
            [
                "[begin] Copying tank/web to h2 (full)  1.0 MiB of ~100.0 MiB (1%)  10.0 MiB/s  ETA 0:09",
                "[begin] Copying tank/web to h2 (full)  50.0 MiB of ~100.0 MiB (50%)  10.0 MiB/s  ETA 0:05",
                "[begin] Copying tank/web to h2 (full)  100.0 MiB  10.0 MiB/s  done in 2.00 s",
                "[switch] Restoring web on h2",
            ],
            Lines);
    }

    [Fact]
    public void JsonModeWritesOneParsableObjectPerShownReport()
    {
        var renderer = Renderer(ProgressMode.Json);

        renderer.Note("Bringing up the lab");
        renderer.Report(Copying(1 << 20));
        renderer.Report(Copying(2 << 20));
        _now += ProgressRenderer.JsonInterval;
        renderer.Report(Copying(3 << 20));

        var events = Lines.Select(line => JsonDocument.Parse(line).RootElement).ToArray();
        Assert.Equal(["note", "progress", "progress"], events.Select(e => e.GetProperty("type").GetString()));
        Assert.Equal("Bringing up the lab", events[0].GetProperty("activity").GetString());
        Assert.Equal([1 << 20, 3 << 20], events[1..].Select(e => e.GetProperty("transfer").GetProperty("bytes").GetInt64()));
    }

    [Fact]
    public void LiveModeRedrawsOneLineAndKeepsEachFinishedStepOnALineOfItsOwn()
    {
        var renderer = Renderer(ProgressMode.Live, terminal: true);

        renderer.Report(Copying(1 << 20));
        _now += ProgressRenderer.LiveInterval;
        renderer.Report(Copying(2 << 20));
        renderer.Report(new MigrationProgress(Id, MigrationPhase.Sync, "Copying tank/web to h2 (incremental)", null, 1));
        renderer.Finish();

        var text = _error.ToString();
        Assert.Equal(3, text.Split('\r').Length - 1);
        Assert.Contains("\r[begin] Copying tank/web to h2 (full)  2.0 MiB of ~100.0 MiB (2%)  10.0 MiB/s  ETA 0:09\u001b[K" + Environment.NewLine, text, StringComparison.Ordinal);
        Assert.EndsWith("\r[sync 1] Copying tank/web to h2 (incremental)\u001b[K" + Environment.NewLine, text, StringComparison.Ordinal);
    }

    [Fact]
    public void NoneModeWritesNothing()
    {
        var renderer = Renderer(ProgressMode.None);
        renderer.Note("a note");
        renderer.Report(Copying(1));
        renderer.Finish();

        Assert.Equal("", _error.ToString());
    }

    [Fact]
    public void ALongStepIsCutBeforeItsNumbers()
    {
        var line = ProgressRenderer.Fit("[begin] Copying tank/a-very-long-dataset-name/below/it to h2 (full)", "1.0 MiB  10.0 MiB/s  ETA 0:09", 60);

        Assert.Equal(60, line.Length);
        Assert.StartsWith("[begin] Copying tank/a-ver...", line, StringComparison.Ordinal);
        Assert.EndsWith("...  1.0 MiB  10.0 MiB/s  ETA 0:09", line, StringComparison.Ordinal);
        Assert.Equal("short  1 B", ProgressRenderer.Fit("short", "1 B", 60));
    }

    [Fact]
    public void ATransferWithoutAnExpectedSizeShowsBytesAndRate()
    {
        var text = ProgressRenderer.Describe(new TransferProgress(3 << 20, null, false, TimeSpan.FromSeconds(1), 3 << 20, false));

        Assert.Equal("3.0 MiB  3.0 MiB/s", text);
    }
}
