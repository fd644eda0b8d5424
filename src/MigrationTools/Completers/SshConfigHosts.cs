using System;
using System.Collections.Generic;
using System.IO;

namespace MigrationTools.Completers;

/// <summary>A host alias an ssh_config file declares, with the address it stands for when the file says.</summary>
/// <param name="Alias">The name after <c>Host</c>.</param>
/// <param name="HostName">The <c>HostName</c> of its block, or <see langword="null"/>.</param>
internal sealed record SshConfigHost(string Alias, string? HostName);

/// <summary>
/// Reads the host aliases of an ssh_config file for completion: the names on <c>Host</c> lines that are plain names,
/// not patterns (<c>*</c>, <c>?</c>, <c>!</c>), in the file's order, each once. <c>Match</c> blocks and
/// <c>Include</c>d files are not followed: completion must be instant and never guess.
/// </summary>
internal static class SshConfigHosts
{
    // A Host argument with one of these is a pattern or a list, never a name to connect to.
    private static readonly char[] PatternCharacters = { '*', '?', '!', ',', ' ' };

    /// <summary>Reads the aliases from ssh_config text.</summary>
    /// <param name="reader">The file's text.</param>
    /// <returns>The aliases.</returns>
    public static IReadOnlyList<SshConfigHost> Parse(TextReader reader)
    {
        if (reader is null)
        {
            throw new ArgumentNullException(nameof(reader));
        }

        var hosts = new List<SshConfigHost>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var block = new List<int>();
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            var (keyword, arguments) = Split(line);
            if (keyword.Equals("Host", StringComparison.OrdinalIgnoreCase))
            {
                block.Clear();
                foreach (var name in arguments)
                {
                    if (IsPlainName(name) && seen.Add(name))
                    {
                        block.Add(hosts.Count);
                        hosts.Add(new SshConfigHost(name, null));
                    }
                }
            }
            else if (keyword.Equals("Match", StringComparison.OrdinalIgnoreCase))
            {
                block.Clear();
            }
            else if (keyword.Equals("HostName", StringComparison.OrdinalIgnoreCase) && arguments.Count > 0)
            {
                // As in ssh, the first HostName of a block counts.
                foreach (var index in block)
                {
                    hosts[index] = hosts[index] with { HostName = hosts[index].HostName ?? arguments[0] };
                }
            }
        }

        return hosts;
    }

    /// <summary>Reads the aliases from a file; a file that is missing or unreadable declares none.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The aliases.</returns>
    public static IReadOnlyList<SshConfigHost> Read(string path)
    {
        try
        {
            using var reader = new StreamReader(path);
            return Parse(reader);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return Array.Empty<SshConfigHost>();
        }
    }

    /// <summary>
    /// A line's keyword and arguments: <c>keyword arg ...</c> or <c>keyword=arg ...</c>, comments and blank lines give
    /// an empty keyword. Double quotes group an argument, as ssh reads them.
    /// </summary>
    private static (string Keyword, IReadOnlyList<string> Arguments) Split(string line)
    {
        var text = line.Trim();
        if (text.Length == 0 || text[0] == '#')
        {
            return ("", Array.Empty<string>());
        }

        var end = 0;
        while (end < text.Length && !char.IsWhiteSpace(text[end]) && text[end] != '=')
        {
            end++;
        }

        var keyword = text.Substring(0, end);
        var rest = text.Substring(end).TrimStart();
        if (rest.StartsWith("=", StringComparison.Ordinal))
        {
            rest = rest.Substring(1);
        }

        var arguments = new List<string>();
        var i = 0;
        while (i < rest.Length)
        {
            if (char.IsWhiteSpace(rest[i]))
            {
                i++;
                continue;
            }

            if (rest[i] == '#')
            {
                break;
            }

            int start;
            if (rest[i] == '"')
            {
                start = ++i;
                while (i < rest.Length && rest[i] != '"')
                {
                    i++;
                }

                arguments.Add(rest.Substring(start, i - start));
                i++;
                continue;
            }

            start = i;
            while (i < rest.Length && !char.IsWhiteSpace(rest[i]))
            {
                i++;
            }

            arguments.Add(rest.Substring(start, i - start));
        }

        return (keyword, arguments);
    }

    private static bool IsPlainName(string name) => name.Length > 0 && name.IndexOfAny(PatternCharacters) < 0;
}
