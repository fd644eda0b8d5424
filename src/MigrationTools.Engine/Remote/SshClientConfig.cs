using System;
using System.Collections.Generic;
using System.IO;

namespace MigrationTools.Engine.Remote;

/// <summary>The effective client configuration for one destination, as <c>ssh -G</c> prints it.</summary>
internal sealed class SshClientConfig
{
    private readonly Dictionary<string, string> _values;

    private SshClientConfig(Dictionary<string, string> values) => _values = values;

    /// <summary>Reads <c>ssh -G</c> output: one <c>keyword value</c> per line, keywords in lower case.</summary>
    public static SshClientConfig Parse(string text)
    {
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        using var reader = new StringReader(text ?? "");
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            var space = line.IndexOf(' ');
            if (space <= 0)
            {
                continue;
            }

            var key = line.Substring(0, space);
            // Keywords given more than once (identityfile) keep their first value, as ssh does.
            if (!values.ContainsKey(key))
            {
                values[key] = line.Substring(space + 1).Trim();
            }
        }

        return new SshClientConfig(values);
    }

    /// <summary>The value of <paramref name="keyword"/>, or <see langword="null"/> when ssh printed none.</summary>
    public string? this[string keyword] => _values.TryGetValue(keyword, out var value) ? value : null;

    /// <summary>The remote user ssh will log in as.</summary>
    public string? User => this["user"];
}
