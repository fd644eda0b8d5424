using System;
using System.Diagnostics;

namespace MigrationTools.Infrastructure;

/// <summary>
/// Decides which progress updates are worth drawing: the first, then at most one per interval. PowerShell redraws
/// the bar for every record, so a stream reporting each buffer would spend its time drawing.
/// </summary>
internal sealed class ProgressThrottle
{
    /// <summary>Four updates a second: smooth to the eye, cheap to draw.</summary>
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromMilliseconds(250);

    private readonly TimeSpan _interval;
    private readonly Func<TimeSpan> _clock;
    private TimeSpan? _last;

    /// <summary>Creates a throttle.</summary>
    /// <param name="interval">The least time between two updates; <see cref="DefaultInterval"/> when not given.</param>
    /// <param name="clock">Elapsed time from any fixed start; a stopwatch when not given (tests pass their own).</param>
    public ProgressThrottle(TimeSpan? interval = null, Func<TimeSpan>? clock = null)
    {
        _interval = interval ?? DefaultInterval;
        if (clock is null)
        {
            var stopwatch = Stopwatch.StartNew();
            clock = () => stopwatch.Elapsed;
        }

        _clock = clock;
    }

    /// <summary>True when an update now should be drawn; it then counts as the last one drawn.</summary>
    /// <returns>Whether to draw.</returns>
    public bool ShouldDraw()
    {
        var now = _clock();
        if (_last is { } last && now - last < _interval)
        {
            return false;
        }

        _last = now;
        return true;
    }
}
