using System;
using System.Threading;
using System.Threading.Tasks;
using MigrationTools.Engine.Migrations;

namespace MigrationTools.Engine.Draining;

/// <summary>One piece of a drain: a workload's move, or one phase of one migration.</summary>
public sealed class DrainWork
{
    private int _sequence = -1;

    /// <summary>Creates a piece of work.</summary>
    /// <param name="subject">What it does, in words, e.g. "web from h1 to h2".</param>
    /// <param name="estimatedBytes">Its estimated transfer, for the order and the totals.</param>
    /// <param name="run">Runs it, reporting progress, until it ends or is cancelled.</param>
    public DrainWork(string subject, long estimatedBytes, Func<IProgress<MigrationProgress>, CancellationToken, Task<MigrationRecord>> run)
    {
        Subject = string.IsNullOrWhiteSpace(subject) ? throw new ArgumentException("A drain's work needs a subject.", nameof(subject)) : subject;
        EstimatedBytes = Math.Max(0, estimatedBytes);
        Run = run ?? throw new ArgumentNullException(nameof(run));
    }

    /// <summary>What it does, in words.</summary>
    public string Subject { get; }

    /// <summary>Its estimated transfer in bytes.</summary>
    public long EstimatedBytes { get; }

    /// <summary>Its place in the order of adding, from 0; -1 before it is added to a queue.</summary>
    public int Sequence => _sequence;

    internal Func<IProgress<MigrationProgress>, CancellationToken, Task<MigrationRecord>> Run { get; }

    internal void Enqueued(int sequence)
    {
        if (Interlocked.CompareExchange(ref _sequence, sequence, -1) != -1)
        {
            throw new InvalidOperationException($"The work '{Subject}' was already added to a drain.");
        }
    }

    /// <inheritdoc/>
    public override string ToString() => Subject;
}
