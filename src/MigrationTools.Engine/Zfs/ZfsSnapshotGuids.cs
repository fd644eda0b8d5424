using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using MigrationTools.Engine.Remote;

namespace MigrationTools.Engine.Zfs;

/// <summary>
/// The GUIDs of named snapshots in one command, <c>zfs get -H -p -o name,value guid snapshot…</c>: what a round
/// compares on both hosts to know the copy is the source's, without listing either tree.
/// </summary>
internal static class ZfsSnapshotGuids
{
    private static readonly string[] Command = { "zfs", "get", "-H", "-p", "-o", "name,value", "guid" };

    /// <summary>The arguments that print <c>name&lt;TAB&gt;guid</c> for each of <paramref name="snapshots"/>.</summary>
    public static IEnumerable<string> Arguments(IEnumerable<SnapshotName> snapshots) =>
        Command.Concat(snapshots.Select(s => s.Value));

    /// <summary>
    /// The GUIDs in <paramref name="output"/>, by snapshot. A snapshot that does not exist has no line (zfs says so
    /// on standard error and still prints the others), so it is simply absent.
    /// </summary>
    /// <exception cref="FormatException">A line is not a snapshot name and a 64-bit number.</exception>
    public static IReadOnlyDictionary<SnapshotName, ulong> Parse(string output)
    {
        if (output is null)
        {
            throw new ArgumentNullException(nameof(output));
        }

        var guids = new Dictionary<SnapshotName, ulong>();
        foreach (var line in output.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Length > 0))
        {
            var tab = line.LastIndexOf('\t');
            if (tab <= 0
                || !SnapshotName.TryParse(line.Substring(0, tab), out var name)
                || !ulong.TryParse(line.Substring(tab + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var guid))
            {
                throw new FormatException($"Expected a snapshot's name and GUID from zfs get, got {SafeText.Show(line)}.");
            }

            guids[name!] = guid;
        }

        return guids;
    }
}
