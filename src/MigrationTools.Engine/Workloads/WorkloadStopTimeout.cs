using System;
using System.Globalization;

namespace MigrationTools.Engine.Workloads;

/// <summary>
/// The grace period a workload gets to end after SIGTERM before SIGKILL, in whole seconds: the one place its limits
/// and default are written. Stopping a workload, a migration's settings and both front ends' parameters use these.
/// </summary>
public static class WorkloadStopTimeout
{
    /// <summary>The shortest: 0 kills at once.</summary>
    public const int MinSeconds = 0;

    /// <summary>The longest: an hour.</summary>
    public const int MaxSeconds = 3600;

    /// <summary>The grace period when none is given.</summary>
    public const int DefaultSeconds = 10;

    /// <summary>The grace period of <paramref name="seconds"/>.</summary>
    /// <param name="seconds">Seconds from <see cref="MinSeconds"/> to <see cref="MaxSeconds"/>.</param>
    /// <returns>The grace period.</returns>
    /// <exception cref="ArgumentOutOfRangeException">Out of range; the message gives the range.</exception>
    public static TimeSpan Of(int seconds) => IsValid(seconds)
        ? TimeSpan.FromSeconds(seconds)
        : throw new ArgumentOutOfRangeException(nameof(seconds), seconds, Fault(seconds));

    /// <summary>True when <paramref name="seconds"/> is within the limits.</summary>
    /// <param name="seconds">The value.</param>
    /// <returns>Whether it is allowed.</returns>
    public static bool IsValid(int seconds) => seconds is >= MinSeconds and <= MaxSeconds;

    /// <summary>True when <paramref name="gracePeriod"/> is within the limits.</summary>
    /// <param name="gracePeriod">The value.</param>
    /// <returns>Whether it is allowed.</returns>
    public static bool IsValid(TimeSpan gracePeriod) =>
        gracePeriod >= TimeSpan.FromSeconds(MinSeconds) && gracePeriod <= TimeSpan.FromSeconds(MaxSeconds);

    /// <summary>What is wrong with <paramref name="seconds"/> and what to give instead.</summary>
    /// <param name="seconds">The value refused.</param>
    /// <returns>The message.</returns>
    public static string Fault(int seconds) => string.Format(
        CultureInfo.InvariantCulture,
        "The stop timeout {0} s is out of range; give from {1} (SIGKILL at once) to {2} seconds.",
        seconds, MinSeconds, MaxSeconds);
}
