using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;

namespace MigrationTools.Infrastructure;

/// <summary>One name or pattern given to -Name.</summary>
/// <param name="Text">As given.</param>
/// <param name="IsWildcard">True when it holds wildcard characters, so that matching nothing is no error.</param>
/// <param name="IsMatch">Whether a workload name matches it.</param>
internal sealed record NamePattern(string Text, bool IsWildcard, Func<string, bool> IsMatch)
{
    /// <summary>A PowerShell wildcard pattern, matched without regard to case as PowerShell's -Name parameters do.</summary>
    /// <param name="text">The pattern, such as <c>web*</c>.</param>
    /// <returns>The pattern.</returns>
    public static NamePattern PowerShell(string text) =>
        new(text, WildcardPattern.ContainsWildcardCharacters(text), WildcardPattern.Get(text, WildcardOptions.IgnoreCase).IsMatch);
}

/// <summary>
/// The -Name filter of a listing: a name is listed when it matches any pattern, or when there are none. A name without
/// wildcards that matches nothing is an error the cmdlet reports (as <c>Get-Process -Name</c> does); a wildcard that
/// matches nothing is not.
/// </summary>
internal sealed class WorkloadNameFilter
{
    private readonly NamePattern[] _patterns;
    private readonly HashSet<string> _matchedLiterals = new(StringComparer.Ordinal);

    /// <summary>Creates the filter.</summary>
    /// <param name="patterns">The patterns; none (or <see langword="null"/>) lists every name.</param>
    public WorkloadNameFilter(IEnumerable<NamePattern>? patterns) =>
        _patterns = (patterns ?? Enumerable.Empty<NamePattern>()).ToArray();

    /// <summary>True when the filter lists every name.</summary>
    public bool ListsAll => _patterns.Length == 0;

    /// <summary>The names without wildcards that no call to <see cref="IsMatch"/> has matched yet, in the order given.</summary>
    public IReadOnlyList<string> UnmatchedNames =>
        _patterns.Where(p => !p.IsWildcard && !_matchedLiterals.Contains(p.Text)).Select(p => p.Text).Distinct(StringComparer.Ordinal).ToArray();

    /// <summary>True when <paramref name="name"/> is to be listed; remembers which names without wildcards it matched.</summary>
    /// <param name="name">A workload name.</param>
    /// <returns>Whether to list it.</returns>
    public bool IsMatch(string name)
    {
        if (ListsAll)
        {
            return true;
        }

        var matched = false;
        foreach (var pattern in _patterns)
        {
            if (pattern.IsMatch(name))
            {
                matched = true;
                if (!pattern.IsWildcard)
                {
                    _matchedLiterals.Add(pattern.Text);
                }
            }
        }

        return matched;
    }

    /// <summary>
    /// True when a malformed manifest file is to be reported: its base name (the workload it should declare) matches a
    /// pattern, or there are none. A name it matches counts as found: the error about the file is the one to report.
    /// </summary>
    /// <param name="fileName">The manifest's file name or path, such as <c>/etc/migrationtools/workloads/web.json</c>.</param>
    /// <returns>Whether to report it.</returns>
    public bool ConcernsFile(string fileName)
    {
        if (ListsAll)
        {
            return true;
        }

        var name = fileName.Substring(fileName.LastIndexOf('/') + 1);
        if (name.EndsWith(".json", StringComparison.Ordinal))
        {
            name = name.Substring(0, name.Length - ".json".Length);
        }

        return IsMatch(name);
    }
}
