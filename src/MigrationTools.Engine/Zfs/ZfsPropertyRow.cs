using System;
using System.Collections.Generic;
using MigrationTools.Engine.Remote;

namespace MigrationTools.Engine.Zfs;

/// <summary>
/// One line of <c>zfs get -H -p -o name,property,value,source</c>: tab-separated, the value in the middle so
/// that a value holding a tab still parses (names and sources never hold one).
/// </summary>
internal sealed record ZfsPropertyRow(string Name, string Property, string Value, string Source)
{
    /// <summary>The columns to ask <c>zfs get -o</c> for.</summary>
    public const string Columns = "name,property,value,source";

    private const string InheritedPrefix = "inherited from ";

    /// <summary>The rows of <paramref name="output"/>, in order; blank lines are skipped.</summary>
    /// <exception cref="FormatException">A line has fewer than four columns.</exception>
    public static IReadOnlyList<ZfsPropertyRow> ParseAll(string output)
    {
        if (output is null)
        {
            throw new ArgumentNullException(nameof(output));
        }

        var rows = new List<ZfsPropertyRow>();
        var number = 0;
        foreach (var rawLine in output.Split('\n'))
        {
            number++;
            var line = rawLine.TrimEnd('\r');
            if (line.Length == 0)
            {
                continue;
            }

            var fields = line.Split('\t');
            if (fields.Length < 4)
            {
                throw new FormatException(
                    $"Line {number} of the zfs get output has {fields.Length} tab-separated fields, not name, property, value and source: {SafeText.Show(line)}.");
            }

            var value = fields.Length == 4 ? fields[2] : string.Join("\t", fields, 2, fields.Length - 3);
            rows.Add(new ZfsPropertyRow(fields[0], fields[1], value, fields[fields.Length - 1]));
        }

        return rows;
    }

    /// <summary>Where the value comes from; <paramref name="inheritedFrom"/> is set for an inherited one.</summary>
    public ZfsPropertySource ParseSource(out DatasetName? inheritedFrom)
    {
        inheritedFrom = null;
        if (Source.StartsWith(InheritedPrefix, StringComparison.Ordinal))
        {
            // An ancestor whose name the engine's rules refuse is reported as inherited from nobody known.
            _ = DatasetName.TryParse(Source.Substring(InheritedPrefix.Length), out inheritedFrom);
            return ZfsPropertySource.Inherited;
        }

        return Source switch
        {
            "local" => ZfsPropertySource.Local,
            "default" => ZfsPropertySource.Default,
            "received" => ZfsPropertySource.Received,
            "temporary" => ZfsPropertySource.Temporary,
            _ => ZfsPropertySource.None,
        };
    }
}
