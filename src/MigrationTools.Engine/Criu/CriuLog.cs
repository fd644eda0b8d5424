using System;
using System.Collections.Generic;
using System.Linq;
using MigrationTools.Engine.Remote;

namespace MigrationTools.Engine.Criu;

/// <summary>Picks the lines of a CRIU log worth quoting in an error: its errors, then how it ended.</summary>
internal static class CriuLog
{
    /// <summary>How much of the end of a log is fetched from the host.</summary>
    public const int TailBytes = 64 * 1024;

    private const int MaxErrorLines = 12;
    private const int MaxLastLines = 8;
    private const int MaxLineLength = 300;

    // Logged as errors on hosts without the privilege to raise limits or create tun devices; they do not make an operation fail.
    private static readonly string[] Harmless = { "Can't setup RLIMIT_NOFILE", "tun: Unable to create tun" };

    /// <summary>The error lines (up to 12, harmless ones left out), then the last lines not already shown.</summary>
    public static string Excerpt(string log)
    {
        var lines = (log ?? "").Replace("\r", "").Split('\n')
            .Where(l => l.Trim().Length > 0)
            .Select(l => l.Length > MaxLineLength ? l.Substring(0, MaxLineLength) + "..." : l)
            .ToArray();
        var errors = lines
            .Where(l => l.IndexOf("Error", StringComparison.Ordinal) >= 0 && !Harmless.Any(h => l.IndexOf(h, StringComparison.Ordinal) >= 0))
            .Take(MaxErrorLines)
            .ToList();
        var shown = new HashSet<string>(errors, StringComparer.Ordinal);
        var last = lines.Skip(Math.Max(0, lines.Length - MaxLastLines)).Where(l => !shown.Contains(l));
        return RemoteException.Excerpt(string.Join("\n", errors.Concat(last)), (MaxErrorLines + MaxLastLines) * (MaxLineLength + 4));
    }
}
