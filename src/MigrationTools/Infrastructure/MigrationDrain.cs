using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using MigrationTools.Engine.Draining;
using MigrationTools.Engine.Migrations;

namespace MigrationTools.Infrastructure;

/// <summary>
/// A migration cmdlet's inputs run concurrently (-ThrottleLimit): each input, confirmed on the pipeline thread as it
/// arrives, joins the engine's <see cref="DrainQueue"/>, which runs at most the throttle's number at once while the
/// pipeline goes on producing inputs. Each migration is written as it finishes and each failure reported for its
/// input while the others go on; the drain's progress is one parent bar with a child bar per running migration.
/// </summary>
/// <remarks>
/// <para>
/// The queue's workers never call PowerShell: what they report waits in a <see cref="PipelineOutbox"/> that every
/// step of the command delivers (<see cref="Deliver"/> as each input arrives, <see cref="CompleteAsync"/> at the end
/// until the last migration has ended).
/// </para>
/// <para>
/// Ctrl+C cancels every running migration (the engine leaves each where its next phase continues from) and starts no
/// waiting one. A command stopped or failed between two steps waits in <see cref="Dispose"/> for its migrations to end,
/// and closes its bars on the host.
/// </para>
/// </remarks>
internal sealed class MigrationDrain : IDisposable
{
    private readonly CmdletPipeline _pipeline;
    private readonly MigrationRunner _migrations;
    private readonly DrainQueue _queue;
    private readonly PipelineOutbox _outbox = new();
    private readonly CancellationTokenSource _cancellation;
    private readonly bool _holdErrors;
    private readonly Func<int, IReadOnlyList<string>, string> _describe;
    private readonly ConcurrentDictionary<DrainWork, Input> _inputs = new();
    private readonly List<string> _sources = new();
    private readonly List<(Input Input, Exception Error)> _failures = new();
    private DrainProgress? _progress;
    private Task<DrainSummary>? _run;
    private int _count;
    private bool _closed;
    private bool _disposed;

    /// <summary>Creates the drain of one command; nothing runs until the first input is added.</summary>
    /// <param name="pipeline">The cmdlet's calls into PowerShell.</param>
    /// <param name="migrations">The command's engines and error reporting.</param>
    /// <param name="settings">The throttle, the order, and how failures and the parent bar are told.</param>
    public MigrationDrain(CmdletPipeline pipeline, MigrationRunner migrations, DrainSettings settings)
    {
        _pipeline = pipeline ?? throw new ArgumentNullException(nameof(pipeline));
        _migrations = migrations ?? throw new ArgumentNullException(nameof(migrations));
        if (settings is null)
        {
            throw new ArgumentNullException(nameof(settings));
        }

        _describe = settings.Describe;
        _queue = new DrainQueue(settings.ThrottleLimit, settings.Order);
        _holdErrors = settings.HoldErrors;
        _cancellation = CancellationTokenSource.CreateLinkedTokenSource(settings.Stopping);
    }

    /// <summary>Adds a confirmed input; the drain starts with the first. On the pipeline's step, one input at a time.</summary>
    /// <param name="work">The engine call and its estimate.</param>
    /// <param name="source">The host the input concerns, for the parent bar's activity.</param>
    /// <param name="target">What errors about it name.</param>
    /// <param name="journalDirectory">The journal of its migration.</param>
    /// <param name="choice">The destination chosen for it among several, or <see langword="null"/>.</param>
    public void Add(DrainWork work, string source, object target, string journalDirectory, DestinationChoice? choice)
    {
        if (work is null)
        {
            throw new ArgumentNullException(nameof(work));
        }

        _inputs[work] = new Input(work.Subject, target, journalDirectory, choice);
        _count++;
        if (!_sources.Contains(source, StringComparer.Ordinal))
        {
            _sources.Add(source);
        }

        var activity = _describe(_count, _sources);
        if (_progress is null)
        {
            _progress = new DrainProgress(_pipeline, _outbox, activity);
        }
        else
        {
            _progress.Rename(activity);
        }

        _queue.Add(work);
        _run ??= Task.Run(() => _queue.RunAsync(new Observer(this), _cancellation.Token));
    }

    /// <summary>
    /// Keeps the failure of an input that never joined the drain, under -ErrorAction Stop: it counts among the inputs and
    /// is named by the summary error as the drain's own failures are.
    /// </summary>
    /// <param name="error">What was thrown.</param>
    /// <param name="subject">What the input is.</param>
    /// <param name="target">What the error names.</param>
    public void Hold(Exception error, string subject, object target)
    {
        _count++;
        lock (_failures)
        {
            _failures.Add((new Input(subject, target, "", null), error));
        }
    }

    /// <summary>Writes what the drain reported since the last delivery: results, errors, progress. On a step.</summary>
    public void Deliver() => _outbox.Deliver(_pipeline);

    /// <summary>
    /// Takes no more inputs and writes what the drain reports until its last migration has ended, then closes its bars.
    /// On the end step.
    /// </summary>
    /// <param name="cancellationToken">The command's Ctrl+C: after the drain has ended, the step ends as stopped.</param>
    /// <returns>
    /// Under -ErrorAction Stop, when any input failed, the terminating error that names every failure; otherwise
    /// <see langword="null"/>.
    /// </returns>
    public async Task<ErrorRecord?> CompleteAsync(CancellationToken cancellationToken)
    {
        if (_run is not null)
        {
            _queue.CompleteAdding();
            await _outbox.DeliverUntilAsync(_pipeline, _run).ConfigureAwait(false);
            Close();
            _outbox.Deliver(_pipeline);
            _ = await _run.ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
        }

        lock (_failures)
        {
            return _failures.Count == 0 ? null : SummaryError(_failures, _count);
        }
    }

    /// <summary>
    /// Cancels what still runs when the command ends early (stopped between two inputs, or a terminating error), waits
    /// for it on the pipeline thread, and closes the bars.
    /// </summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (_run is { IsCompleted: false } run)
        {
            _cancellation.Cancel();
            _outbox.DeliverWhileWaiting(_pipeline, run);
        }

        if (!_closed)
        {
            Close();
            _outbox.DeliverWhileWaiting(_pipeline, Task.CompletedTask);
        }

        _cancellation.Dispose();
        _outbox.Dispose();
    }

    /// <summary>The error that ends a drain run under -ErrorAction Stop when some inputs failed.</summary>
    private static ErrorRecord SummaryError(IReadOnlyList<(Input Input, Exception Error)> failures, int count)
    {
        var lines = failures.Select(f => $"{f.Input.Subject}: {f.Error.Message}");
        var message = $"{failures.Count} of {count} migrations failed; the others went on. " + string.Join(" ", lines);
        return new ErrorRecord(
            new DrainFailedException(message, failures.Select(f => f.Error)),
            ErrorIds.DrainFailed,
            ErrorCategory.NotSpecified,
            failures.Select(f => f.Input.Target).ToArray());
    }

    private void Close()
    {
        _closed = true;
        _progress?.Close();
    }

    /// <summary>What the drain keeps of one input to write its result or its failure.</summary>
    private sealed record Input(string Subject, object Target, string JournalDirectory, DestinationChoice? Choice);

    /// <summary>Receives the queue's reports on its workers and queues what they write for the pipeline thread.</summary>
    private sealed class Observer : IDrainObserver
    {
        private readonly MigrationDrain _drain;

        public Observer(MigrationDrain drain) => _drain = drain;

        public void Started(DrainWork work) => _drain._progress?.Started(work, work.Subject);

        public void Progress(DrainWork work, MigrationProgress progress) => _drain._progress?.Report(work, progress);

        public void Finished(DrainWork work, MigrationRecord record)
        {
            _drain._progress?.Ended(work);
            if (_drain._inputs.TryGetValue(work, out var input))
            {
                _drain._outbox.Post(() => _drain._pipeline.WriteObject(new Migration(record, input.JournalDirectory, input.Choice)));
            }
        }

        public void Failed(DrainWork work, Exception error)
        {
            _drain._progress?.Ended(work);
            if (!_drain._inputs.TryGetValue(work, out var input))
            {
                return;
            }

            if (AsyncCmdlet.IsReportable(error, _drain._cancellation.Token))
            {
                if (_drain._holdErrors)
                {
                    lock (_drain._failures)
                    {
                        _drain._failures.Add((input, error));
                    }

                    return;
                }

                _drain._outbox.Post(() => _drain._migrations.WriteError(error, input.Target, input.JournalDirectory));
            }
            else if (error is MigrationFailedException)
            {
                // Cancelled by Ctrl+C: what the engine says of the migration is seen although the pipeline is stopping.
                _drain._outbox.Post(() => _drain._pipeline.WriteWarningToHost(error.Message));
            }
        }

        public void StatusChanged(DrainStatus status) => _drain._progress?.Status(status);
    }
}
