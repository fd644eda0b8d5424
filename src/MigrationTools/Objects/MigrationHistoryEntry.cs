using System;
using MigrationTools.Engine.Migrations;

namespace MigrationTools;

/// <summary>One phase a migration ran, as <see cref="Migration.History"/> lists it.</summary>
public sealed class MigrationHistoryEntry
{
    /// <summary>Creates the entry for one phase of the record.</summary>
    /// <param name="phase">The engine's record of the phase.</param>
    internal MigrationHistoryEntry(PhaseRecord phase)
    {
        if (phase is null)
        {
            throw new ArgumentNullException(nameof(phase));
        }

        Phase = phase.Phase;
        StartTime = phase.Start.LocalDateTime;
        EndTime = phase.End?.LocalDateTime;
        Duration = phase.End is { } end ? end - phase.Start : null;
        Outcome = phase.Outcome;
        BytesTransferred = phase.Bytes;
    }

    /// <summary>The phase: Begin, Sync, Switch, Complete, Undo or Abort.</summary>
    public MigrationPhase Phase { get; }

    /// <summary>When it began.</summary>
    public DateTime StartTime { get; }

    /// <summary>When it ended; empty while it runs or when it was cut short.</summary>
    public DateTime? EndTime { get; }

    /// <summary>How long it took; empty while it runs or when it was cut short.</summary>
    public TimeSpan? Duration { get; }

    /// <summary>How it ended, in words, such as <c>sent 1.2 GiB in 1 dataset(s)</c> or <c>failed</c>.</summary>
    public string? Outcome { get; }

    /// <summary>The bytes it sent.</summary>
    public long BytesTransferred { get; }

    /// <summary>The phase and how it ended.</summary>
    /// <returns>Such as <c>Sync: sent 3.1 MiB in 1 dataset(s)</c>.</returns>
    public override string ToString() => Outcome is null ? Phase.ToString() : $"{Phase}: {Outcome}";
}
