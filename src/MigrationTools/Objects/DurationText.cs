using System;
using System.Globalization;

namespace MigrationTools;

/// <summary>
/// Durations for people, as the views show downtime and phase durations: <c>420 ms</c>, <c>1.42 s</c>,
/// <c>12.3 s</c>, <c>4 min 12 s</c>, <c>2 h 03 min</c>, <c>3 d 04 h</c>.
/// </summary>
public static class DurationText
{
    /// <summary>Formats <paramref name="duration"/> in the unit that keeps it short and still exact enough to compare.</summary>
    /// <param name="duration">A duration; a negative one counts as zero.</param>
    /// <returns>The text; empty for <see langword="null"/>.</returns>
    public static string Format(TimeSpan? duration)
    {
        if (duration is not { } value)
        {
            return "";
        }

        if (value < TimeSpan.Zero)
        {
            value = TimeSpan.Zero;
        }

        var invariant = CultureInfo.InvariantCulture;
        if (value < TimeSpan.FromSeconds(1))
        {
            return ((long)Math.Round(value.TotalMilliseconds)).ToString(invariant) + " ms";
        }

        if (value < TimeSpan.FromSeconds(10))
        {
            return value.TotalSeconds.ToString("0.00", invariant) + " s";
        }

        if (value < TimeSpan.FromMinutes(1))
        {
            return value.TotalSeconds.ToString("0.0", invariant) + " s";
        }

        if (value < TimeSpan.FromHours(1))
        {
            return string.Format(invariant, "{0} min {1} s", (int)value.TotalMinutes, value.Seconds);
        }

        return value < TimeSpan.FromDays(1)
            ? string.Format(invariant, "{0} h {1:00} min", (int)value.TotalHours, value.Minutes)
            : string.Format(invariant, "{0} d {1:00} h", (int)value.TotalDays, value.Hours);
    }
}
