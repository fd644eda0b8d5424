using System;
using System.Collections.Generic;
using System.Text.RegularExpressions;

namespace MigrationTools.Engine.Zfs;

/// <summary>
/// Reads the usage text <c>zfs</c> prints when run without arguments, and the property table <c>zfs get</c>
/// prints without arguments. Both are stable, human-oriented formats shared by zfs-fuse and OpenZFS.
/// </summary>
internal static class ZfsUsageText
{
    // An option as usage lines write it: "-RDp" (a cluster), "-[iI]" (the old alternatives form) or "--saved",
    // preceded by a space, '[', '|' or '<' so that words such as "load-key" are not read as options.
    private static readonly Regex OptionPattern = new(
        @"(?<=[\s\[|<])-(?:\[(?<alternatives>[A-Za-z]+)\]|(?<cluster>[A-Za-z]+)|-(?<long>[a-z][a-z-]*))",
        RegexOptions.CultureInvariant);

    private static readonly Regex PropertyRowPattern = new(
        @"^\t(?<name>[a-z][a-z0-9_:.-]*)\s+(?:YES|NO)\s+(?:YES|NO)\s",
        RegexOptions.CultureInvariant);

    /// <summary>
    /// The commands the usage text lists, each with the single-letter options any of its usage lines mentions
    /// (bracketed or not), sorted.
    /// </summary>
    public static IReadOnlyDictionary<string, string> ParseCommands(string usage)
    {
        if (usage is null)
        {
            throw new ArgumentNullException(nameof(usage));
        }

        var options = new Dictionary<string, SortedSet<char>>(StringComparer.Ordinal);
        SortedSet<char>? current = null;
        foreach (var rawLine in usage.Split('\n'))
        {
            var line = rawLine.TrimEnd('\r');
            if (line.Length < 2 || line[0] != '\t')
            {
                // A header or a blank line ends the entry before it.
                current = null;
                continue;
            }

            string text;
            if (IsLetter(line[1]))
            {
                // "\tsend [-RDp] ...": a command's usage line.
                var end = 1;
                while (end < line.Length && (IsLetter(line[end]) || line[end] == '-'))
                {
                    end++;
                }

                var command = line.Substring(1, end - 1);
                if (!options.TryGetValue(command, out current))
                {
                    current = new SortedSet<char>();
                    options.Add(command, current);
                }

                text = line.Substring(end);
            }
            else if (current is not null && char.IsWhiteSpace(line[1]))
            {
                // "\t    <filesystem>": the previous line goes on.
                text = line;
            }
            else
            {
                current = null;
                continue;
            }

            foreach (Match match in OptionPattern.Matches(text))
            {
                var letters = match.Groups["alternatives"].Success ? match.Groups["alternatives"].Value : match.Groups["cluster"].Value;
                foreach (var letter in letters)
                {
                    current!.Add(letter);
                }
            }
        }

        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in options)
        {
            result.Add(pair.Key, string.Concat(pair.Value));
        }

        return result;
    }

    /// <summary>
    /// The native properties listed in the table <c>zfs get</c> prints with its usage. Hidden properties (such as
    /// <c>guid</c> and <c>createtxg</c>) are not listed there, and neither are user properties.
    /// </summary>
    public static IReadOnlyCollection<string> ParseProperties(string propertyTable)
    {
        if (propertyTable is null)
        {
            throw new ArgumentNullException(nameof(propertyTable));
        }

        var names = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var rawLine in propertyTable.Split('\n'))
        {
            var match = PropertyRowPattern.Match(rawLine.TrimEnd('\r'));
            if (match.Success)
            {
                names.Add(match.Groups["name"].Value);
            }
        }

        return names;
    }

    private static bool IsLetter(char c) => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
