using System;

namespace MigrationTools.Engine.Transfer;

/// <summary>A stream that reached its target whole.</summary>
/// <param name="Bytes">The stream's length in bytes.</param>
/// <param name="Elapsed">From the start of the sending command to the target's acknowledgement.</param>
/// <param name="Path">Which way it went.</param>
public sealed record TransferResult(long Bytes, TimeSpan Elapsed, TransferPath Path)
{
    /// <summary>The average rate, in bytes per second.</summary>
    public double BytesPerSecond => Elapsed > TimeSpan.Zero ? Bytes / Elapsed.TotalSeconds : 0;
}
