using System;
using MigrationTools.Engine.Remote;

namespace MigrationTools.Engine.Zfs;

/// <summary>
/// ZFS naming rules, a little stricter than ZFS itself: components of ASCII letters, digits and
/// <c>_ - : .</c> (no spaces), none empty, none starting with <c>-</c>, none <c>.</c> or <c>..</c>, whole names
/// at most 255 characters. A name that passes can never be read as an option or as shell syntax.
/// </summary>
internal static class ZfsNameRules
{
    /// <summary>ZFS's limit for a full name (dataset, snapshot or bookmark), without the terminating NUL.</summary>
    public const int MaxNameLength = 255;

    private const string AllowedText = "letters, digits and '_', '-', ':', '.'";

    private static readonly string[] ReservedPoolPrefixes = { "mirror", "raidz", "draid", "spare" };

    /// <summary>Why <paramref name="value"/> is not a pool name, or <see langword="null"/> when it is one.</summary>
    public static string? PoolError(string? value)
    {
        const string Kind = "pool name";
        const string Example = "for example 'tank'";
        var common = CommonError(value, Kind, Example);
        if (common is not null)
        {
            return common;
        }

        var name = value!;
        if (name.IndexOf('/') >= 0)
        {
            return $"{SafeText.Show(name)} is not a valid {Kind}: it contains '/'; a pool name is a single word ({Example}).";
        }

        var componentError = ComponentError(name, name, Kind, Example);
        if (componentError is not null)
        {
            return componentError;
        }

        if (!IsLetter(name[0]))
        {
            return $"{SafeText.Show(name)} is not a valid {Kind}: it must begin with a letter ({Example}).";
        }

        if (string.Equals(name, "log", StringComparison.Ordinal))
        {
            return $"{SafeText.Show(name)} is not a valid {Kind}: 'log' is reserved by ZFS; choose another name ({Example}).";
        }

        foreach (var prefix in ReservedPoolPrefixes)
        {
            if (name.StartsWith(prefix, StringComparison.Ordinal))
            {
                return $"{SafeText.Show(name)} is not a valid {Kind}: names beginning with '{prefix}' are reserved by ZFS; choose another name ({Example}).";
            }
        }

        if (name.Length >= 2 && name[0] == 'c' && name[1] >= '0' && name[1] <= '9')
        {
            return $"{SafeText.Show(name)} is not a valid {Kind}: ZFS refuses names that look like disk devices (c0...); choose another name ({Example}).";
        }

        return null;
    }

    /// <summary>Why <paramref name="value"/> is not a dataset name, or <see langword="null"/> when it is one.</summary>
    public static string? DatasetError(string? value)
    {
        const string Kind = "dataset name";
        const string Example = "for example 'tank/workloads/web'";
        var common = CommonError(value, Kind, Example);
        if (common is not null)
        {
            return common;
        }

        var name = value!;
        if (name.IndexOf('@') >= 0)
        {
            return $"{SafeText.Show(name)} is not a valid {Kind}: it contains '@', which names a snapshot; give the dataset alone ({Example}).";
        }

        if (name.IndexOf('#') >= 0)
        {
            return $"{SafeText.Show(name)} is not a valid {Kind}: it contains '#', which names a bookmark; give the dataset alone ({Example}).";
        }

        var components = name.Split('/');
        for (var i = 0; i < components.Length; i++)
        {
            if (components[i].Length == 0)
            {
                return $"{SafeText.Show(name)} is not a valid {Kind}: it has an empty component (a leading, trailing or doubled '/'); {Example}.";
            }

            var error = ComponentError(components[i], name, Kind, Example);
            if (error is not null)
            {
                return error;
            }
        }

        var poolError = PoolError(components[0]);
        return poolError is null ? null : $"{SafeText.Show(name)} is not a valid {Kind}: its pool part is invalid. {poolError}";
    }

    /// <summary>
    /// Why <paramref name="value"/> is not a <c>dataset&lt;separator&gt;name</c> (snapshot <c>@</c>, bookmark <c>#</c>),
    /// or <see langword="null"/> when it is one.
    /// </summary>
    public static string? QualifiedError(string? value, char separator, string kind, string example)
    {
        var common = CommonError(value, kind, example);
        if (common is not null)
        {
            return common;
        }

        var name = value!;
        var at = name.IndexOf(separator);
        if (at < 0)
        {
            return $"{SafeText.Show(name)} is not a valid {kind}: it has no '{separator}'; write dataset{separator}name ({example}).";
        }

        if (name.IndexOf(separator, at + 1) >= 0)
        {
            return $"{SafeText.Show(name)} is not a valid {kind}: it has more than one '{separator}'; write dataset{separator}name ({example}).";
        }

        var datasetError = DatasetError(name.Substring(0, at));
        if (datasetError is not null)
        {
            return $"{SafeText.Show(name)} is not a valid {kind}: its dataset part is invalid. {datasetError}";
        }

        return ShortNameError(name.Substring(at + 1), kind, example);
    }

    /// <summary>Why <paramref name="value"/> is not the part after <c>@</c> or <c>#</c>, or <see langword="null"/>.</summary>
    public static string? ShortNameError(string? value, string kind, string example)
    {
        var common = CommonError(value, kind, example);
        if (common is not null)
        {
            return common;
        }

        var name = value!;
        foreach (var c in name)
        {
            if (c is '/' or '@' or '#')
            {
                return $"{SafeText.Show(name)} is not a valid {kind}: the part after the dataset may not contain '{c}' ({example}).";
            }
        }

        return ComponentError(name, name, kind, example);
    }

    private static string? CommonError(string? value, string kind, string example)
    {
        if (value is null || value.Length == 0)
        {
            return $"The {kind} is empty; {example}.";
        }

        if (value.Length > MaxNameLength)
        {
            return $"{SafeText.Show(value)} is not a valid {kind}: it is {value.Length} characters long and ZFS allows at most {MaxNameLength}.";
        }

        return null;
    }

    private static string? ComponentError(string component, string fullName, string kind, string example)
    {
        var where = ReferenceEquals(component, fullName) || component == fullName
            ? ""
            : $" (in component {SafeText.Show(component)})";
        if (component == "." || component == "..")
        {
            return $"{SafeText.Show(fullName)} is not a valid {kind}: {SafeText.Show(component)} is not allowed as a component{where}; {example}.";
        }

        if (component[0] == '-')
        {
            return $"{SafeText.Show(fullName)} is not a valid {kind}: a component may not begin with '-'{where}, which a command would read as an option; {example}.";
        }

        foreach (var c in component)
        {
            if (!IsAllowed(c))
            {
                return $"{SafeText.Show(fullName)} is not a valid {kind}: it contains {SafeText.Describe(c)}{where}; use only {AllowedText} ({example}).";
            }
        }

        return null;
    }

    private static bool IsLetter(char c) => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');

    private static bool IsAllowed(char c) => IsLetter(c) || (c >= '0' && c <= '9') || c is '_' or '-' or ':' or '.';
}
