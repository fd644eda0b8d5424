using System;

namespace MigrationTools.Engine.Draining;

/// <summary>How a drain ended.</summary>
/// <param name="Succeeded">Work that ended well.</param>
/// <param name="Failed">Work that failed (each reported to the observer).</param>
/// <param name="NotStarted">Work never started because the drain was cancelled.</param>
/// <param name="Elapsed">The drain's wall time.</param>
/// <param name="BytesSent">Bytes sent by all its work.</param>
public sealed record DrainSummary(int Succeeded, int Failed, int NotStarted, TimeSpan Elapsed, long BytesSent);
