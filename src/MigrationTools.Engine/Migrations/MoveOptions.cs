using System;

namespace MigrationTools.Engine.Migrations;

/// <summary>How a move converges before it switches, and whether it completes.</summary>
public sealed record MoveOptions
{
    /// <summary>The most sync rounds a move runs before it switches regardless.</summary>
    public const int MaxSyncRoundsLimit = 100;

    private readonly int _maxSyncRounds = 5;
    private readonly long _convergedBytes = 16L << 20;

    /// <summary>Switch after at most this many sync rounds (1 to 100; default 5).</summary>
    public int MaxSyncRounds
    {
        get => _maxSyncRounds;
        init => _maxSyncRounds = value is >= 1 and <= MaxSyncRoundsLimit
            ? value
            : throw new ArgumentOutOfRangeException(nameof(MaxSyncRounds), value, $"A move runs from 1 to {MaxSyncRoundsLimit} sync rounds.");
    }

    /// <summary>Switch once a round sends no more than this many bytes (default 16 MiB): the final delta will be as small.</summary>
    public long ConvergedBytes
    {
        get => _convergedBytes;
        init => _convergedBytes = value >= 0
            ? value
            : throw new ArgumentOutOfRangeException(nameof(ConvergedBytes), value, "The converged size must not be negative.");
    }

    /// <summary>Also complete the migration after a successful switch.</summary>
    public bool Complete { get; init; }

    /// <summary>When completing, keep the source datasets (read-only) instead of destroying them.</summary>
    public bool KeepSourceDatasets { get; init; }
}
