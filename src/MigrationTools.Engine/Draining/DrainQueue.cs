using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using MigrationTools.Engine.Migrations;

namespace MigrationTools.Engine.Draining;

/// <summary>
/// Runs added work at most <see cref="ThrottleLimit"/> pieces at once, starting waiting work in its
/// <see cref="DrainOrder"/>, and reports each piece as it ends; one piece failing does not stop the others.
/// </summary>
[SuppressMessage("Naming", "CA1711", Justification = "A drain queue is a queue: work waits in it, in an order, to run.")]
[SuppressMessage("Design", "CA1001", Justification = "The semaphore is only a signal: its wait handle is never made, so there is nothing to dispose.")]
public sealed class DrainQueue
{
    /// <summary>The greatest throttle accepted.</summary>
    public const int MaxThrottleLimit = 64;

    private readonly object _gate = new();
    private readonly object _observerGate = new();
    private readonly List<DrainWork> _waiting = new();
    private readonly Dictionary<DrainWork, WorkBytes> _bytes = new();
    private readonly SemaphoreSlim _changed = new(0);
    private int _added;
    private int _running;
    private int _succeeded;
    private int _failed;
    private bool _addingCompleted;
    private bool _started;
    private long _bytesTotal;

    /// <summary>Creates a queue.</summary>
    /// <param name="throttleLimit">At most this many pieces run at once (1 to 64).</param>
    /// <param name="order">Which waiting piece starts next.</param>
    /// <exception cref="ArgumentOutOfRangeException">The throttle is outside 1..64.</exception>
    public DrainQueue(int throttleLimit, DrainOrder order = DrainOrder.SmallestFirst)
    {
        ThrottleLimit = throttleLimit is >= 1 and <= MaxThrottleLimit
            ? throttleLimit
            : throw new ArgumentOutOfRangeException(nameof(throttleLimit), throttleLimit,
                $"A drain runs 1 to {MaxThrottleLimit} migrations at once; give a number in that range.");
        Order = order;
    }

    /// <summary>At most this many pieces run at once.</summary>
    public int ThrottleLimit { get; }

    /// <summary>Which waiting piece starts next.</summary>
    public DrainOrder Order { get; }

    /// <summary>Adds a piece of work; allowed before and while <see cref="RunAsync"/> runs, until <see cref="CompleteAdding"/>.</summary>
    /// <param name="work">The work; a piece can be added to one queue once.</param>
    /// <exception cref="InvalidOperationException">Adding was completed, or the work was added before.</exception>
    public void Add(DrainWork work)
    {
        if (work is null)
        {
            throw new ArgumentNullException(nameof(work));
        }

        lock (_gate)
        {
            if (_addingCompleted)
            {
                throw new InvalidOperationException("The drain takes no more work: adding was completed.");
            }

            work.Enqueued(_added++);
            _waiting.Add(work);
            _bytes[work] = new WorkBytes(work.EstimatedBytes);
            _bytesTotal += work.EstimatedBytes;
        }

        _changed.Release();
    }

    /// <summary>Says no more work will be added: <see cref="RunAsync"/> ends once every added piece has ended.</summary>
    public void CompleteAdding()
    {
        lock (_gate)
        {
            _addingCompleted = true;
        }

        _changed.Release();
    }

    /// <summary>
    /// Runs the work. Ends when every added piece has ended (after <see cref="CompleteAdding"/>). Cancelling cancels
    /// every running piece (the engine leaves each migration in a state its next phase continues from) and starts no
    /// waiting one; those are reported neither finished nor failed, and counted in <see cref="DrainSummary.NotStarted"/>.
    /// </summary>
    /// <param name="observer">Receives the events, one call at a time.</param>
    /// <param name="cancellationToken">Cancels the drain.</param>
    /// <returns>The counts and totals.</returns>
    /// <exception cref="InvalidOperationException">The queue ran before.</exception>
    public async Task<DrainSummary> RunAsync(IDrainObserver observer, CancellationToken cancellationToken = default)
    {
        if (observer is null)
        {
            throw new ArgumentNullException(nameof(observer));
        }

        lock (_gate)
        {
            if (_started)
            {
                throw new InvalidOperationException("A drain queue runs once.");
            }

            _started = true;
        }

        var clock = Stopwatch.StartNew();
        var running = new List<Task>();
        using (cancellationToken.Register(() => _changed.Release()))
        {
            while (true)
            {
                var toStart = new List<DrainWork>();
                bool over;
                lock (_gate)
                {
                    if (!cancellationToken.IsCancellationRequested)
                    {
                        while (_running < ThrottleLimit && _waiting.Count > 0)
                        {
                            var next = PickNext();
                            _waiting.Remove(next);
                            _running++;
                            toStart.Add(next);
                        }
                    }

                    over = _running == 0 && toStart.Count == 0 &&
                           ((_addingCompleted && _waiting.Count == 0) || cancellationToken.IsCancellationRequested);
                }

                foreach (var work in toStart)
                {
                    Notify(observer, o => o.Started(work));
                    ReportStatus(observer, clock.Elapsed);
                    running.Add(Task.Run(() => RunOneAsync(work, observer, clock, cancellationToken), CancellationToken.None));
                }

                if (over)
                {
                    break;
                }

                await _changed.WaitAsync(CancellationToken.None).ConfigureAwait(false);
                running.RemoveAll(t => t.IsCompleted);
            }
        }

        await Task.WhenAll(running).ConfigureAwait(false);
        lock (_gate)
        {
            return new DrainSummary(_succeeded, _failed, _waiting.Count, clock.Elapsed, _bytes.Values.Sum(b => b.Done));
        }
    }

    private async Task RunOneAsync(DrainWork work, IDrainObserver observer, Stopwatch clock, CancellationToken cancellationToken)
    {
        try
        {
            var progress = new WorkProgress(this, work, observer, clock);
            MigrationRecord record;
            try
            {
                record = await work.Run(progress, cancellationToken).ConfigureAwait(false);
            }
#pragma warning disable CA1031 // A piece's failure of any kind is reported and the others go on.
            catch (Exception error)
#pragma warning restore CA1031
            {
                lock (_gate)
                {
                    _failed++;
                    _running--;
                }

                Notify(observer, o => o.Failed(work, error));
                ReportStatus(observer, clock.Elapsed);
                return;
            }

            lock (_gate)
            {
                _succeeded++;
                _running--;
                _bytes[work].Finish();
            }

            Notify(observer, o => o.Finished(work, record));
            ReportStatus(observer, clock.Elapsed);
        }
        finally
        {
            _changed.Release();
        }
    }

    private DrainWork PickNext() => Order switch
    {
        DrainOrder.LargestFirst => _waiting.OrderByDescending(w => w.EstimatedBytes).ThenBy(w => w.Sequence).First(),
        DrainOrder.AsGiven => _waiting.OrderBy(w => w.Sequence).First(),
        _ => _waiting.OrderBy(w => w.EstimatedBytes).ThenBy(w => w.Sequence).First(),
    };

    private void Notify(IDrainObserver observer, Action<IDrainObserver> call)
    {
        lock (_observerGate)
        {
            call(observer);
        }
    }

    private void ReportStatus(IDrainObserver observer, TimeSpan elapsed)
    {
        DrainStatus status;
        lock (_gate)
        {
            var done = _bytes.Values.Sum(b => b.Counted);
            TimeSpan? remaining = null;
            if (done > 0 && _bytesTotal > done && elapsed > TimeSpan.Zero)
            {
                var seconds = elapsed.TotalSeconds * (_bytesTotal - done) / done;
                remaining = seconds < TimeSpan.MaxValue.TotalSeconds / 2 ? TimeSpan.FromSeconds(seconds) : null;
            }
            else if (_bytesTotal > 0 && done >= _bytesTotal)
            {
                remaining = TimeSpan.Zero;
            }

            status = new DrainStatus(_waiting.Count, _running, _succeeded, _failed, Math.Min(done, _bytesTotal), _bytesTotal, remaining);
        }

        Notify(observer, o => o.StatusChanged(status));
    }

    private void Record(DrainWork work, MigrationProgress progress)
    {
        if (progress.Transfer is not { } transfer)
        {
            return;
        }

        lock (_gate)
        {
            _bytes[work].Observe(transfer.Bytes, transfer.IsComplete);
        }
    }

    /// <summary>A piece's bytes, summed over its streams from their progress reports.</summary>
    private sealed class WorkBytes
    {
        private readonly long _estimate;
        private long _ended;
        private long _current;
        private bool _finished;

        public WorkBytes(long estimate) => _estimate = estimate;

        public long Done => _ended + _current;

        /// <summary>What the parent bar counts: a finished piece counts at least its estimate, so the bar ends full.</summary>
        public long Counted => _finished ? Math.Max(Done, _estimate) : Done;

        public void Observe(long bytes, bool complete)
        {
            if (bytes < _current)
            {
                // A new stream started without its predecessor's last report.
                _ended += _current;
            }

            _current = bytes;
            if (complete)
            {
                _ended += _current;
                _current = 0;
            }
        }

        public void Finish() => _finished = true;
    }

    /// <summary>Forwards one piece's progress to the observer and updates the drain's totals.</summary>
    private sealed class WorkProgress : IProgress<MigrationProgress>
    {
        private readonly DrainQueue _queue;
        private readonly DrainWork _work;
        private readonly IDrainObserver _observer;
        private readonly Stopwatch _clock;

        public WorkProgress(DrainQueue queue, DrainWork work, IDrainObserver observer, Stopwatch clock)
        {
            _queue = queue;
            _work = work;
            _observer = observer;
            _clock = clock;
        }

        public void Report(MigrationProgress value)
        {
            _queue.Record(_work, value);
            _queue.Notify(_observer, o => o.Progress(_work, value));
            if (value.Transfer is not null)
            {
                _queue.ReportStatus(_observer, _clock.Elapsed);
            }
        }
    }
}
