using System.Globalization;
using System.Text.RegularExpressions;

namespace MigrationTools.Engine.Criu;

/// <summary>
/// The memory counts a dump or pre-dump prints with <c>--display-stats</c> (on standard output, CRIU 3.x and 4.x:
/// <c>Memory pages scanned: 42 (0x2a)</c>, <c>Memory pages skipped from parent: 14 (0xe)</c>,
/// <c>Memory pages written: 28 (0x1c)</c>). Pages written are what the round copied: all of them for a first round,
/// only those dirtied since the previous round after that, whether to local images or to a page server.
/// </summary>
/// <param name="Scanned">Pages looked at; -1 when not printed.</param>
/// <param name="SkippedFromParent">Pages left to the previous round's images; -1 when not printed.</param>
/// <param name="Written">Pages written; -1 when not printed.</param>
internal sealed record CriuDumpStatistics(long Scanned, long SkippedFromParent, long Written)
{
    private static readonly Regex Line = new(
        @"^\s*Memory pages (scanned|skipped from parent|written):\s*(\d{1,19})\b",
        RegexOptions.CultureInvariant | RegexOptions.Multiline);

    /// <summary>Reads the counts from what CRIU printed; a count printed twice keeps the last, a missing one is -1.</summary>
    /// <param name="output">CRIU's standard output.</param>
    /// <returns>The counts.</returns>
    public static CriuDumpStatistics Parse(string? output)
    {
        long scanned = -1, skipped = -1, written = -1;
        foreach (Match match in Line.Matches(output ?? ""))
        {
            if (!long.TryParse(match.Groups[2].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var count))
            {
                continue;
            }

            switch (match.Groups[1].Value)
            {
                case "scanned":
                    scanned = count;
                    break;
                case "written":
                    written = count;
                    break;
                default:
                    skipped = count;
                    break;
            }
        }

        return new CriuDumpStatistics(scanned, skipped, written);
    }

    /// <summary>The counts as CRIU names them.</summary>
    /// <returns>The text.</returns>
    public override string ToString() =>
        string.Format(CultureInfo.InvariantCulture, "{0} pages scanned, {1} skipped from parent, {2} written", Scanned, SkippedFromParent, Written);
}
