using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;

namespace MigrationTools.Engine.Transfer;

/// <summary>
/// Turns a running byte count into <see cref="TransferProgress"/> reports: a rate over the last few
/// seconds (so the ETA follows a link whose speed changes), throttled so a fast stream does not flood
/// the listener, and a final report that is never throttled away. Safe to call from one writer thread.
/// </summary>
public sealed class ProgressMeter
{
    private static readonly TimeSpan DefaultInterval = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan RateWindow = TimeSpan.FromSeconds(3);

    private readonly IProgress<TransferProgress>? _progress;
    private readonly Func<TimeSpan> _clock;
    private readonly TimeSpan _interval;
    private readonly Queue<(TimeSpan At, long Bytes)> _samples = new();
    private TimeSpan? _lastReport;
    private long _bytes;

    /// <summary>Creates a meter that reports to <paramref name="progress"/>.</summary>
    /// <param name="progress">Where reports go; <see langword="null"/> counts without reporting.</param>
    /// <param name="expectedBytes">The expected total, when known.</param>
    /// <param name="expectedIsEstimate">True when <paramref name="expectedBytes"/> is an estimate.</param>
    /// <param name="interval">The least time between two reports; 250 ms when not given.</param>
    /// <param name="clock">Elapsed time since the start; a stopwatch when not given (tests pass their own).</param>
    public ProgressMeter(
        IProgress<TransferProgress>? progress,
        long? expectedBytes = null,
        bool expectedIsEstimate = false,
        TimeSpan? interval = null,
        Func<TimeSpan>? clock = null)
    {
        if (expectedBytes < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(expectedBytes), expectedBytes, "The expected size cannot be negative.");
        }

        _progress = progress;
        ExpectedBytes = expectedBytes;
        ExpectedIsEstimate = expectedIsEstimate;
        _interval = interval ?? DefaultInterval;
        if (clock is null)
        {
            var stopwatch = Stopwatch.StartNew();
            clock = () => stopwatch.Elapsed;
        }

        _clock = clock;
        _samples.Enqueue((_clock(), 0));
    }

    /// <summary>The expected total, when known.</summary>
    public long? ExpectedBytes { get; }

    /// <summary>True when <see cref="ExpectedBytes"/> is an estimate.</summary>
    public bool ExpectedIsEstimate { get; }

    /// <summary>Bytes counted so far.</summary>
    public long Bytes => Interlocked.Read(ref _bytes);

    /// <summary>Counts <paramref name="count"/> more bytes and reports when the interval has passed.</summary>
    /// <param name="count">Bytes just moved.</param>
    public void Add(long count)
    {
        if (count < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(count), count, "A byte count cannot be negative.");
        }

        Set(Bytes + count);
    }

    /// <summary>Sets the running total (for sources that report totals, not increments) and reports when due.</summary>
    /// <param name="totalBytes">Bytes moved so far.</param>
    public void Set(long totalBytes)
    {
        Interlocked.Exchange(ref _bytes, totalBytes);
        var now = _clock();
        if (_lastReport is not { } last || now - last >= _interval)
        {
            _lastReport = now;
            _progress?.Report(Snapshot(now, isComplete: false));
        }
    }

    /// <summary>Sends the final report, whatever the interval.</summary>
    /// <returns>The final report.</returns>
    public TransferProgress Complete()
    {
        var now = _clock();
        var seconds = now.TotalSeconds;
        // The final rate is the average over the whole transfer: what an operator compares between runs.
        var final = new TransferProgress(Bytes, ExpectedBytes, ExpectedIsEstimate, now, seconds > 0 ? Bytes / seconds : 0, IsComplete: true);
        _progress?.Report(final);
        return final;
    }

    private TransferProgress Snapshot(TimeSpan now, bool isComplete)
    {
        var bytes = Bytes;
        _samples.Enqueue((now, bytes));
        while (_samples.Count > 2 && now - _samples.Peek().At > RateWindow)
        {
            _samples.Dequeue();
        }

        var (oldestAt, oldestBytes) = _samples.Peek();
        var span = (now - oldestAt).TotalSeconds;
        var rate = span > 0 ? (bytes - oldestBytes) / span : 0;
        return new TransferProgress(bytes, ExpectedBytes, ExpectedIsEstimate, now, rate, isComplete);
    }
}
