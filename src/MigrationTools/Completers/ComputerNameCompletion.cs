using System;
using System.Collections.Generic;
using System.Linq;

namespace MigrationTools.Completers;

/// <summary>One completion for -ComputerName.</summary>
/// <param name="Text">What replaces the word being completed.</param>
/// <param name="ToolTip">What the host shows beside it.</param>
internal sealed record ComputerNameCandidate(string Text, string ToolTip);

/// <summary>Which ssh_config aliases complete a partly typed computer name.</summary>
internal static class ComputerNameCompletion
{
    /// <summary>
    /// The aliases that start with <paramref name="wordToComplete"/> (without regard to case), in the file's order. A
    /// word with <c>user@</c> keeps it; quotes around the word are ignored.
    /// </summary>
    /// <param name="hosts">The aliases ssh_config declares.</param>
    /// <param name="wordToComplete">What has been typed so far.</param>
    /// <returns>The candidates.</returns>
    public static IReadOnlyList<ComputerNameCandidate> Complete(IEnumerable<SshConfigHost> hosts, string? wordToComplete)
    {
        if (hosts is null)
        {
            throw new ArgumentNullException(nameof(hosts));
        }

        var word = (wordToComplete ?? "").Trim('\'', '"');
        var at = word.LastIndexOf('@');
        var user = at >= 0 ? word.Substring(0, at + 1) : "";
        var prefix = word.Substring(at + 1);
        return hosts
            .Where(h => h.Alias.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            .Select(h => new ComputerNameCandidate(user + h.Alias, h.HostName is null ? h.Alias : $"{h.Alias} ({h.HostName})"))
            .ToArray();
    }
}
