using System;

namespace MigrationTools.Engine.Draining;

/// <summary>Where a whole drain stands, for its parent progress bar.</summary>
/// <param name="Waiting">Work not started yet.</param>
/// <param name="Running">Work running now.</param>
/// <param name="Succeeded">Work that ended well.</param>
/// <param name="Failed">Work that failed.</param>
/// <param name="BytesDone">Bytes moved so far by all work, ended and running.</param>
/// <param name="BytesTotal">The estimated bytes of all work.</param>
/// <param name="EstimatedRemaining">Time left at the rate so far; <see langword="null"/> until data has moved.</param>
public sealed record DrainStatus(int Waiting, int Running, int Succeeded, int Failed, long BytesDone, long BytesTotal, TimeSpan? EstimatedRemaining)
{
    /// <summary>Done, as a whole percentage of the estimated bytes capped at 100; <see langword="null"/> when nothing is estimated.</summary>
    public int? PercentComplete => BytesTotal > 0 ? (int)Math.Min(100, BytesDone * 100 / BytesTotal) : null;
}
