using System.Collections.Generic;
using System.Globalization;

namespace MigrationTools.Engine.Placement;

/// <summary>When pre-copy stops running rounds and freezes the workload for the final dump.</summary>
internal static class PreCopyConvergence
{
    /// <summary>
    /// The most rounds: each freezes the tree briefly to collect its memory and copies what it dirtied meanwhile, and a
    /// workload that dirties memory about as fast as rounds copy it never converges; past a few rounds the freeze gains
    /// little.
    /// </summary>
    public const int MaxRounds = 5;

    /// <summary>
    /// A round that writes at least this share of the previous round's pages shows that the dirty set has stopped
    /// shrinking: the workload dirties as much while a round runs as the round copies, so another would copy as much again.
    /// </summary>
    public const double ShrinkRatio = 0.9;

    /// <summary>
    /// Pages (1 MiB of 4 KiB pages) few enough that the frozen dump writes and sends them in milliseconds: another round
    /// could save less than its own collection freeze and its round trips cost.
    /// </summary>
    public const long SmallEnoughPages = 256;

    /// <summary>Why no further round runs after rounds that wrote <paramref name="pages"/>; <see langword="null"/> to run another.</summary>
    /// <param name="pages">The pages each round so far wrote, in order; -1 for a round CRIU did not count.</param>
    /// <returns>The reason, in a sentence; <see langword="null"/> to go on.</returns>
    public static string? StopReason(IReadOnlyList<long> pages)
    {
        if (pages is null || pages.Count == 0)
        {
            return null;
        }

        var last = pages[pages.Count - 1];
        if (last < 0)
        {
            return $"round {pages.Count} did not say how many pages it wrote, so whether the rounds converge is unknown.";
        }

        if (last <= SmallEnoughPages)
        {
            return Say("round {0} wrote {1} pages, few enough for the final dump (at most {2}).", pages.Count, last, SmallEnoughPages);
        }

        if (pages.Count >= 2 && pages[pages.Count - 2] is var previous and >= 0 && last >= previous * ShrinkRatio)
        {
            return Say("round {0} wrote {1} pages after {2}: the pages dirtied between rounds no longer shrink.", pages.Count, last, previous);
        }

        return pages.Count >= MaxRounds ? Say("{0} rounds ran, the most there are.", MaxRounds, 0, 0) : null;
    }

    private static string Say(string format, long a, long b, long c) => string.Format(CultureInfo.InvariantCulture, format, a, b, c);
}
