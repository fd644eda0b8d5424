using System.Globalization;
using MigrationTools.Engine.Draining;
using MigrationTools.Engine.Migrations;
using MigrationTools.Engine.Transfer;

namespace MigrationTools.Cli.Output;

/// <summary>
/// Shows a drain's progress on standard error: a parent line (done, running, waiting, bytes, time left) and, live, one
/// line per running migration beneath it, redrawn in place; plain, a line per step and the totals every few seconds;
/// json, NDJSON events. Workers report from their own threads, so every write is made under one lock.
/// </summary>
internal sealed class DrainProgressRenderer
{
    private readonly object _gate = new();
    private readonly TextWriter _writer;
    private readonly int _width;
    private readonly Func<DateTimeOffset> _clock;
    private readonly List<string> _running = [];
    private readonly Dictionary<string, (string Head, string? Numbers)> _lines = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (string Step, DateTimeOffset At)> _lastShown = new(StringComparer.Ordinal);
    private DrainStatus? _status;
    private string? _lastStatusShown;
    private DateTimeOffset _lastStatusAt = DateTimeOffset.MinValue;
    private DateTimeOffset _lastDraw = DateTimeOffset.MinValue;
    private int _drawn;

    /// <summary>Creates a renderer.</summary>
    /// <param name="mode">The mode; <see cref="ProgressMode.Auto"/> is resolved with <paramref name="console"/>.</param>
    /// <param name="console">Where to write (its error writer) and whether that is a terminal.</param>
    /// <param name="clock">The time source; the system clock when <see langword="null"/>.</param>
    public DrainProgressRenderer(ProgressMode mode, CliConsole console, Func<DateTimeOffset>? clock = null)
    {
        ArgumentNullException.ThrowIfNull(console);
        Mode = ProgressRenderer.Resolve(mode, console.ErrorIsTerminal);
        _writer = console.Error;
        _width = Math.Max(40, console.Width);
        _clock = clock ?? (() => DateTimeOffset.Now);
    }

    /// <summary>The mode in use (never <see cref="ProgressMode.Auto"/>).</summary>
    public ProgressMode Mode { get; }

    /// <summary>The parent line: <c>[drain] 2 done, 2 running, 2 waiting  312.0 MiB of ~768.0 MiB (40%)  ETA 0:12</c>.</summary>
    /// <param name="status">The totals.</param>
    /// <returns>The line.</returns>
    public static string Describe(DrainStatus status)
    {
        ArgumentNullException.ThrowIfNull(status);
        var done = status.Succeeded + status.Failed;
        var text = string.Create(CultureInfo.InvariantCulture,
            $"[drain] {done} done, {status.Running} running, {status.Waiting} waiting");
        if (status.Failed > 0)
        {
            text += string.Create(CultureInfo.InvariantCulture, $" ({status.Failed} failed)");
        }

        text += "  " + ByteSize.Format(status.BytesDone) + " of ~" + ByteSize.Format(status.BytesTotal);
        if (status.PercentComplete is { } percent)
        {
            text += " (" + percent.ToString(CultureInfo.InvariantCulture) + "%)";
        }

        return status.EstimatedRemaining is { } eta ? text + "  ETA " + Words.Clock(eta) : text;
    }

    /// <summary>A migration started.</summary>
    /// <param name="name">Its workload.</param>
    /// <param name="subject">What it does, in words.</param>
    public void Started(string name, string subject)
    {
        lock (_gate)
        {
            _running.Add(name);
            _lines[name] = ("  " + subject + ": starting", null);
            switch (Mode)
            {
                case ProgressMode.Plain:
                    _writer.WriteLine(subject + ": started");
                    break;
                case ProgressMode.Live:
                    Redraw(force: true);
                    break;
            }

            _writer.Flush();
        }
    }

    /// <summary>A migration reported progress.</summary>
    /// <param name="name">Its workload.</param>
    /// <param name="value">The report.</param>
    public void Progress(string name, MigrationProgress value)
    {
        ArgumentNullException.ThrowIfNull(value);
        lock (_gate)
        {
            var now = _clock();
            var step = $"{value.Phase}|{value.Round}|{value.Activity}";
            var newStep = !_lastShown.TryGetValue(name, out var last) || last.Step != step;
            var interval = Mode == ProgressMode.Json ? ProgressRenderer.JsonInterval : ProgressRenderer.PlainInterval;
            switch (Mode)
            {
                case ProgressMode.Live:
                    _lines[name] = ("  " + name + " " + ProgressRenderer.Describe(value with { Transfer = null }),
                        value.Transfer is { } transfer ? ProgressRenderer.Describe(transfer) : null);
                    Redraw(force: false);
                    break;
                case ProgressMode.Plain or ProgressMode.Json when newStep || value.Transfer is { IsComplete: true } || now - last.At >= interval:
                    _lastShown[name] = (step, now);
                    _writer.WriteLine(Mode == ProgressMode.Json
                        ? CliJson.Line(ProgressEventView.Of(value, now))
                        : name + ": " + ProgressRenderer.Describe(value));
                    break;
                default:
                    return;
            }

            _writer.Flush();
        }
    }

    /// <summary>The drain's totals changed.</summary>
    /// <param name="status">The totals.</param>
    public void Status(DrainStatus status)
    {
        ArgumentNullException.ThrowIfNull(status);
        lock (_gate)
        {
            var counts = string.Create(CultureInfo.InvariantCulture, $"{status.Waiting}/{status.Running}/{status.Succeeded}/{status.Failed}");
            var changed = counts != _lastStatusShown;
            _status = status;
            var now = _clock();
            switch (Mode)
            {
                case ProgressMode.Live:
                    Redraw(force: changed);
                    break;
                case ProgressMode.Plain when changed || now - _lastStatusAt >= ProgressRenderer.PlainInterval:
                    _writer.WriteLine(Describe(status));
                    break;
                case ProgressMode.Json when changed || now - _lastStatusAt >= ProgressRenderer.JsonInterval:
                    _writer.WriteLine(CliJson.Line(new DrainStatusEventView(
                        "drain", Words.Instant(now), status.Waiting, status.Running, status.Succeeded, status.Failed,
                        status.BytesDone, status.BytesTotal, status.PercentComplete, Words.Seconds(status.EstimatedRemaining))));
                    break;
                default:
                    return;
            }

            _lastStatusShown = counts;
            _lastStatusAt = now;
            _writer.Flush();
        }
    }

    /// <summary>A migration ended: its line leaves the live block; <paramref name="write"/> writes its result meanwhile.</summary>
    /// <param name="name">Its workload.</param>
    /// <param name="write">Writes the result (to either stream) while the live block is off the screen.</param>
    public void Ended(string name, Action write)
    {
        ArgumentNullException.ThrowIfNull(write);
        lock (_gate)
        {
            _running.Remove(name);
            _lines.Remove(name);
            Interrupt(write);
        }
    }

    /// <summary>Writes something outside the progress (a warning, a result) without tearing the live block.</summary>
    /// <param name="write">Writes it.</param>
    public void Interrupt(Action write)
    {
        ArgumentNullException.ThrowIfNull(write);
        lock (_gate)
        {
            Clear();
            _writer.Flush();
            write();
            if (Mode == ProgressMode.Live)
            {
                Redraw(force: true);
            }

            _writer.Flush();
        }
    }

    /// <summary>Takes the live block off the screen for good and shows the last totals as a line.</summary>
    public void Finish()
    {
        lock (_gate)
        {
            Clear();
            if (Mode is ProgressMode.Live or ProgressMode.Plain && _status is { } status)
            {
                _writer.WriteLine(Describe(status));
            }

            _writer.Flush();
        }
    }

    private void Clear()
    {
        if (Mode == ProgressMode.Live && _drawn > 0)
        {
            _writer.Write("\u001b[" + _drawn.ToString(CultureInfo.InvariantCulture) + "A\r\u001b[J");
            _drawn = 0;
        }
    }

    private void Redraw(bool force)
    {
        if (Mode != ProgressMode.Live)
        {
            return;
        }

        var now = _clock();
        if (!force && now - _lastDraw < ProgressRenderer.LiveInterval)
        {
            return;
        }

        _lastDraw = now;
        Clear();
        var lines = new List<(string Head, string? Numbers)>();
        if (_status is { } status)
        {
            lines.Add((Describe(status), null));
        }

        lines.AddRange(_running.Select(name => _lines[name]));
        foreach (var (head, numbers) in lines)
        {
            _writer.Write(ProgressRenderer.Fit(head, numbers, _width - 1) + "\n");
        }

        _drawn = lines.Count;
    }
}
