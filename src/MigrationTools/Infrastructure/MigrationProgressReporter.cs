using System;
using MigrationTools.Engine.Migrations;

namespace MigrationTools.Infrastructure;

/// <summary>
/// Shows a migration phase's progress: the engine's reports, which come from its worker threads, are handed to the
/// pipeline thread and drawn there on one bar per phase (the phase, and the round of a move's sync, as the activity;
/// the step and the bytes, rate and time left as the status), each closed with a Completed record. Each new step is
/// also written as a verbose message, so a runbook's log shows what a phase did.
/// </summary>
/// <remarks>
/// Reports never block or fail the engine: they are posted to the step's <see cref="PipelineDispatcher"/>, and a
/// failure to draw (a stopped pipeline) ends the drawing, not the phase. The bars are touched on the pipeline thread
/// only; <see cref="Dispose"/> closes the last one there too, after the reports posted before it. Reports that arrive
/// after it are dropped.
/// </remarks>
internal sealed class MigrationProgressReporter : IProgress<MigrationProgress>, IDisposable
{
    private readonly string _subject;
    private readonly Func<string, ProgressReporter> _newBar;
    private readonly Action<string> _verbose;
    private readonly Action<Action> _post;
    private readonly Action<Action> _invoke;
    private ProgressReporter? _bar;
    private string? _step;
    private volatile bool _closed;
    private bool _disposed;

    /// <summary>Creates the reporter; nothing is drawn until the engine reports.</summary>
    /// <param name="subject">What is migrated, such as <c>web from h1 to h2</c>.</param>
    /// <param name="newBar">Opens a bar with the given activity (the cmdlet's stable activity id).</param>
    /// <param name="verbose">The cmdlet's WriteVerbose.</param>
    /// <param name="post">Queues a call for the pipeline thread without waiting for it.</param>
    /// <param name="invoke">Runs a call on the pipeline thread and waits for it.</param>
    public MigrationProgressReporter(
        string subject, Func<string, ProgressReporter> newBar, Action<string> verbose, Action<Action> post, Action<Action> invoke)
    {
        _subject = subject ?? throw new ArgumentNullException(nameof(subject));
        _newBar = newBar ?? throw new ArgumentNullException(nameof(newBar));
        _verbose = verbose ?? throw new ArgumentNullException(nameof(verbose));
        _post = post ?? throw new ArgumentNullException(nameof(post));
        _invoke = invoke ?? throw new ArgumentNullException(nameof(invoke));
    }

    /// <summary>The activity line for a report: the phase (and round), then what is migrated.</summary>
    /// <param name="subject">What is migrated.</param>
    /// <param name="progress">The engine's report.</param>
    /// <returns>Such as <c>Sync round 2: web from h1 to h2 (m-0123456789ab)</c>.</returns>
    public static string ActivityOf(string subject, MigrationProgress progress)
    {
        if (progress is null)
        {
            throw new ArgumentNullException(nameof(progress));
        }

        var round = progress.Round is { } number ? " round " + number.ToString(System.Globalization.CultureInfo.InvariantCulture) : "";
        return $"{progress.Phase}{round}: {subject} ({progress.Id})";
    }

    /// <summary>Receives a report from the engine, on any thread.</summary>
    /// <param name="value">The report.</param>
    public void Report(MigrationProgress value)
    {
        if (value is null || _closed)
        {
            return;
        }

        _post(() => Show(value));
    }

    /// <summary>Closes the bar with a Completed record, on the pipeline thread; later reports are dropped.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _invoke(() =>
        {
            _closed = true;
            _bar?.Complete();
            _bar = null;
        });
    }

    /// <summary>Draws one report; on the pipeline thread.</summary>
    private void Show(MigrationProgress progress)
    {
        if (_closed)
        {
            return;
        }

        try
        {
            var activity = ActivityOf(_subject, progress);
            if (_bar is null || _bar.Activity != activity)
            {
                _bar?.Complete();
                _bar = _newBar(activity);
            }

            var newStep = !string.Equals(progress.Activity, _step, StringComparison.Ordinal);
            if (newStep)
            {
                _step = progress.Activity;
                _verbose($"{progress.Id} {progress.Phase}: {progress.Activity}");
            }

            if (progress.Transfer is { } transfer && !newStep)
            {
                _bar.Report(transfer, progress.Activity);
            }
            else if (progress.Transfer is { } first)
            {
                _bar.Report(
                    TransferProgressText.Describe(first), TransferProgressText.PercentComplete(first), TransferProgressText.SecondsRemaining(first),
                    progress.Activity, force: true);
            }
            else
            {
                _bar.Report(progress.Activity, force: true);
            }
        }
#pragma warning disable CA1031 // Drawing progress must never fail the phase it describes (a stopped pipeline refuses writes).
        catch (Exception)
#pragma warning restore CA1031
        {
            _closed = true;
        }
    }
}
