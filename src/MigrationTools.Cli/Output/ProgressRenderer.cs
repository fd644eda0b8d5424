using System.Globalization;
using MigrationTools.Engine.Migrations;
using MigrationTools.Engine.Transfer;

namespace MigrationTools.Cli.Output;

/// <summary>How progress is shown, as <c>--progress</c> asks.</summary>
internal enum ProgressMode
{
    /// <summary>Live on a terminal, plain lines otherwise.</summary>
    Auto,

    /// <summary>One line redrawn in place: phase, step, bytes, rate and time left.</summary>
    Live,

    /// <summary>A line per step, and a line every few seconds while data moves; for logs.</summary>
    Plain,

    /// <summary>One JSON object per line (NDJSON) on standard error.</summary>
    Json,

    /// <summary>Nothing.</summary>
    None,
}

/// <summary>
/// Shows a migration's progress on standard error (standard output keeps the result). The engine reports from
/// whatever thread moves the data, so every write is made under one lock.
/// </summary>
internal sealed class ProgressRenderer : IProgress<MigrationProgress>
{
    /// <summary>How often the live line is redrawn at most.</summary>
    public static readonly TimeSpan LiveInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>How often a JSON progress line is written for one step while its data moves.</summary>
    public static readonly TimeSpan JsonInterval = TimeSpan.FromMilliseconds(500);

    /// <summary>How often a plain progress line is written for one step while its data moves.</summary>
    public static readonly TimeSpan PlainInterval = TimeSpan.FromSeconds(5);

    private readonly object _gate = new();
    private readonly TextWriter _writer;
    private readonly int _width;
    private readonly Func<DateTimeOffset> _clock;
    private string? _lastStep;
    private DateTimeOffset _lastWrite = DateTimeOffset.MinValue;
    private bool _lineOpen;

    /// <summary>Creates a renderer.</summary>
    /// <param name="mode">The mode; <see cref="ProgressMode.Auto"/> is resolved with <paramref name="console"/>.</param>
    /// <param name="console">Where to write (its error writer) and whether that is a terminal.</param>
    /// <param name="clock">The time source; the system clock when <see langword="null"/>.</param>
    public ProgressRenderer(ProgressMode mode, CliConsole console, Func<DateTimeOffset>? clock = null)
    {
        ArgumentNullException.ThrowIfNull(console);
        Mode = Resolve(mode, console.ErrorIsTerminal);
        _writer = console.Error;
        _width = Math.Max(40, console.Width);
        _clock = clock ?? (() => DateTimeOffset.Now);
    }

    /// <summary>The mode in use (never <see cref="ProgressMode.Auto"/>).</summary>
    public ProgressMode Mode { get; }

    /// <summary>The mode <see cref="ProgressMode.Auto"/> stands for.</summary>
    /// <param name="mode">The mode asked for.</param>
    /// <param name="terminal">Whether standard error is a terminal.</param>
    /// <returns>The mode to use.</returns>
    public static ProgressMode Resolve(ProgressMode mode, bool terminal) =>
        mode == ProgressMode.Auto ? (terminal ? ProgressMode.Live : ProgressMode.Plain) : mode;

    /// <summary>Shows one report, or skips it when the last one shown for the same step is too recent.</summary>
    /// <param name="value">The report.</param>
    public void Report(MigrationProgress value)
    {
        ArgumentNullException.ThrowIfNull(value);
        lock (_gate)
        {
            var step = $"{value.Id}|{value.Phase}|{value.Round}|{value.Activity}";
            var newStep = step != _lastStep;
            var now = _clock();
            var due = newStep || value.Transfer is { IsComplete: true } || now - _lastWrite >= Mode switch
            {
                ProgressMode.Live => LiveInterval,
                ProgressMode.Json => JsonInterval,
                _ => PlainInterval,
            };
            if (Mode == ProgressMode.None || !due)
            {
                return;
            }

            _lastStep = step;
            _lastWrite = now;
            switch (Mode)
            {
                case ProgressMode.Json:
                    _writer.WriteLine(CliJson.Line(ProgressEventView.Of(value, now)));
                    break;
                case ProgressMode.Live:
                    if (newStep && _lineOpen)
                    {
                        // The finished step's last state stays on screen as a line of its own.
                        _writer.WriteLine();
                    }

                    _writer.Write("\r" + Fit(Head(value), value.Transfer is { } transfer ? Describe(transfer) : null, _width - 1) + "\u001b[K");
                    _lineOpen = true;
                    break;
                default:
                    _writer.WriteLine(Describe(value));
                    break;
            }

            _writer.Flush();
        }
    }

    /// <summary>Shows a message that is not a migration's progress (the demo's steps), on a line of its own.</summary>
    /// <param name="message">The message.</param>
    public void Note(string message)
    {
        lock (_gate)
        {
            switch (Mode)
            {
                case ProgressMode.None:
                    return;
                case ProgressMode.Json:
                    _writer.WriteLine(CliJson.Line(ProgressEventView.Note(message, _clock())));
                    break;
                default:
                    EndLine();
                    _writer.WriteLine(message);
                    break;
            }

            _lastStep = null;
            _writer.Flush();
        }
    }

    /// <summary>Ends the live line, so that what follows starts on a line of its own.</summary>
    public void Finish()
    {
        lock (_gate)
        {
            EndLine();
            _writer.Flush();
        }
    }

    /// <summary>A report as one line: <c>[sync 2] Copying tank/web to h2 (incremental)  12.0 MiB of ~40.0 MiB (30%)  45.1 MiB/s  ETA 0:01</c>.</summary>
    /// <param name="value">The report.</param>
    /// <returns>The line.</returns>
    public static string Describe(MigrationProgress value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return value.Transfer is { } transfer ? Head(value) + "  " + Describe(transfer) : Head(value);
    }

    /// <summary>A transfer's bytes, share, rate and time left: <c>12.0 MiB of ~40.0 MiB (30%)  45.1 MiB/s  ETA 0:01</c>.</summary>
    /// <param name="transfer">The transfer's progress.</param>
    /// <returns>The text.</returns>
    public static string Describe(TransferProgress transfer)
    {
        ArgumentNullException.ThrowIfNull(transfer);
        var text = ByteSize.Format(transfer.Bytes);
        if (transfer.ExpectedBytes is { } expected && !transfer.IsComplete)
        {
            text += " of " + (transfer.ExpectedIsEstimate ? "~" : "") + ByteSize.Format(expected);
            if (transfer.PercentComplete is { } percent)
            {
                text += " (" + percent.ToString(CultureInfo.InvariantCulture) + "%)";
            }
        }

        text += "  " + ByteSize.Format((long)transfer.BytesPerSecond) + "/s";
        if (transfer.IsComplete)
        {
            return text + "  done in " + Words.Duration(transfer.Elapsed);
        }

        return transfer.Eta is { } eta ? text + "  ETA " + Words.Clock(eta) : text;
    }

    /// <summary>
    /// A step and its numbers as one line of at most <paramref name="width"/> characters: the numbers are what a live
    /// line is for, so the step's words are cut (marked with "...") to make room for them, then the numbers themselves.
    /// </summary>
    /// <param name="head">The phase and step, such as <c>[begin] Copying tank/web to h2 (full)</c>.</param>
    /// <param name="numbers">Bytes, rate and time left, or <see langword="null"/>.</param>
    /// <param name="width">The most characters.</param>
    /// <returns>The line as it fits.</returns>
    public static string Fit(string head, string? numbers, int width)
    {
        ArgumentNullException.ThrowIfNull(head);
        var line = numbers is null ? head : head + "  " + numbers;
        if (line.Length <= width)
        {
            return line;
        }

        const string Cut = "...";
        var room = width - (numbers is null ? 0 : numbers.Length + 2);
        return room > Cut.Length + 8
            ? head[..(room - Cut.Length)] + Cut + (numbers is null ? "" : "  " + numbers)
            : line[..Math.Max(0, width - Cut.Length)] + Cut;
    }

    /// <summary>The phase (with the move's sync round) and the step: <c>[sync 2] Copying tank/web to h2 (incremental)</c>.</summary>
    private static string Head(MigrationProgress value)
    {
        var round = value.Round is { } r ? " " + r.ToString(CultureInfo.InvariantCulture) : "";
        return $"[{Words.Of(value.Phase)}{round}] {value.Activity}";
    }

    private void EndLine()
    {
        if (_lineOpen)
        {
            _writer.WriteLine();
            _lineOpen = false;
        }
    }
}

/// <summary>One line of <c>--progress json</c>: a migration's progress, or a note (the demo's steps).</summary>
/// <param name="Type">progress or note.</param>
/// <param name="Time">When it was written, ISO 8601.</param>
/// <param name="Migration">The migration's id; null for a note.</param>
/// <param name="Phase">begin, sync, switch, complete, undo or abort; null for a note.</param>
/// <param name="Round">The sync round of a move, from 1, or null.</param>
/// <param name="Activity">The step in words, or the note.</param>
/// <param name="Transfer">Bytes, rate and time left while data moves, or null.</param>
internal sealed record ProgressEventView(string Type, string Time, string? Migration, string? Phase, int? Round, string Activity, TransferView? Transfer)
{
    /// <summary>The event for a report.</summary>
    /// <param name="value">The report.</param>
    /// <param name="time">When.</param>
    /// <returns>The event.</returns>
    public static ProgressEventView Of(MigrationProgress value, DateTimeOffset time) => new(
        "progress",
        Words.Instant(time),
        value.Id.Value,
        Words.Of(value.Phase),
        value.Round,
        value.Activity,
        value.Transfer is { } t
            ? new TransferView(t.Bytes, t.ExpectedBytes, t.ExpectedIsEstimate, Math.Round(t.BytesPerSecond), Words.Seconds(t.Eta), t.PercentComplete, Words.Seconds(t.Elapsed)!.Value, t.IsComplete)
            : null);

    /// <summary>The event for a note.</summary>
    /// <param name="message">The note.</param>
    /// <param name="time">When.</param>
    /// <returns>The event.</returns>
    public static ProgressEventView Note(string message, DateTimeOffset time) => new("note", Words.Instant(time), null, null, null, message, null);
}

/// <summary>A transfer's progress in a <see cref="ProgressEventView"/>.</summary>
internal sealed record TransferView(
    long Bytes, long? ExpectedBytes, bool ExpectedIsEstimate, double BytesPerSecond, double? EtaSeconds, int? Percent, double ElapsedSeconds, bool Complete);
