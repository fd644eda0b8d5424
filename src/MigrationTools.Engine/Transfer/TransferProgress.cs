using System;

namespace MigrationTools.Engine.Transfer;

/// <summary>How far a byte stream has got.</summary>
/// <param name="Bytes">Bytes moved so far.</param>
/// <param name="ExpectedBytes">Bytes expected in all, when known before the transfer.</param>
/// <param name="ExpectedIsEstimate">True when <paramref name="ExpectedBytes"/> is an estimate (the stream may end above or below it).</param>
/// <param name="Elapsed">Time since the transfer started.</param>
/// <param name="BytesPerSecond">The recent rate.</param>
/// <param name="IsComplete">True for the last report of a transfer that ended.</param>
public sealed record TransferProgress(
    long Bytes,
    long? ExpectedBytes,
    bool ExpectedIsEstimate,
    TimeSpan Elapsed,
    double BytesPerSecond,
    bool IsComplete)
{
    /// <summary>Time left at the recent rate, when the total is known and the rate is not zero.</summary>
    public TimeSpan? Eta
    {
        get
        {
            if (IsComplete)
            {
                return TimeSpan.Zero;
            }

            if (ExpectedBytes is not { } expected || BytesPerSecond <= 0)
            {
                return null;
            }

            var seconds = Math.Max(0, expected - Bytes) / BytesPerSecond;
            return seconds < TimeSpan.MaxValue.TotalSeconds ? TimeSpan.FromSeconds(seconds) : null;
        }
    }

    /// <summary>Done, as a whole percentage capped at 100, when the total is known.</summary>
    public int? PercentComplete =>
        IsComplete ? 100
        : ExpectedBytes is > 0 and var expected ? (int)Math.Min(100, Bytes * 100 / expected) : null;
}
