using System;
using MigrationTools.Engine.Draining;
using MigrationTools.Engine.Transfer;

namespace MigrationTools;

/// <summary>How confirmations and the Migration object name a destination weighed among several.</summary>
internal static class DestinationText
{
    /// <summary>One candidate: <c>h2: 80 GiB free</c>, or <c>h3: refused (why)</c>.</summary>
    /// <param name="candidate">The candidate as the chooser weighed it.</param>
    /// <returns>The text.</returns>
    public static string Describe(DestinationCandidate candidate)
    {
        if (candidate is null)
        {
            throw new ArgumentNullException(nameof(candidate));
        }

        var free = candidate.FreeBytes is { } bytes ? ByteSize.Format(bytes) + " free" : "free space unknown";
        return candidate.Passed ? $"{candidate.Host}: {free}" : $"{candidate.Host}: refused ({candidate.Refusal})";
    }
}
