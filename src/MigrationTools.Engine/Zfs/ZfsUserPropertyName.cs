using System;
using MigrationTools.Engine.Remote;

namespace MigrationTools.Engine.Zfs;

/// <summary>
/// A validated ZFS user property name in <c>module:property</c> form, such as <c>migrationtools:migration</c>:
/// lowercase ASCII letters, digits and <c>_ - .</c> on each side of one colon, each side beginning with a letter
/// or digit, at most 255 characters (ZFS refuses uppercase and longer names).
/// </summary>
public sealed record ZfsUserPropertyName
{
    /// <summary>The longest name ZFS accepts.</summary>
    internal const int MaxLength = 255;

    private ZfsUserPropertyName(string value) => Value = value;

    /// <summary>The full name, <c>module:property</c>.</summary>
    public string Value { get; }

    /// <summary>The part before the colon.</summary>
    public string Module => Value.Substring(0, Value.IndexOf(':'));

    /// <summary>The part after the colon.</summary>
    public string Property => Value.Substring(Value.IndexOf(':') + 1);

    /// <summary>Validates <paramref name="value"/> as a user property name.</summary>
    /// <param name="value">The name, <c>module:property</c>.</param>
    /// <returns>The name.</returns>
    /// <exception cref="ArgumentException">The name is invalid; the message says why and what would do.</exception>
    public static ZfsUserPropertyName Parse(string value)
    {
        var error = Error(value);
        return error is null ? new ZfsUserPropertyName(value) : throw new ArgumentException(error, nameof(value));
    }

    /// <summary>Validates <paramref name="value"/> as a user property name without throwing.</summary>
    /// <param name="value">The name.</param>
    /// <param name="name">The name, or <see langword="null"/> when invalid.</param>
    /// <returns>True when valid.</returns>
    public static bool TryParse(string? value, out ZfsUserPropertyName? name)
    {
        name = Error(value) is null ? new ZfsUserPropertyName(value!) : null;
        return name is not null;
    }

    /// <summary>The property <c><paramref name="module"/>:<paramref name="property"/></c>.</summary>
    /// <param name="module">The module part, such as <c>migrationtools</c>.</param>
    /// <param name="property">The property part, such as <c>migration</c>.</param>
    /// <returns>The name.</returns>
    /// <exception cref="ArgumentException">A part is invalid.</exception>
    public static ZfsUserPropertyName Create(string module, string property) => Parse(module + ":" + property);

    /// <summary>The full name.</summary>
    /// <returns><see cref="Value"/>.</returns>
    public override string ToString() => Value;

    private static string? Error(string? value)
    {
        const string Fix = "write module:property in lowercase letters, digits, '_', '-' and '.', each part beginning with a letter or digit (for example 'migrationtools:migration')";
        if (value is null || value.Length == 0)
        {
            return $"The user property name is empty; {Fix}.";
        }

        if (value.Length > MaxLength)
        {
            return $"The user property name {SafeText.Show(value)} is {value.Length} characters long and ZFS allows at most {MaxLength}.";
        }

        var colon = value.IndexOf(':');
        if (colon < 0)
        {
            return $"The user property name {SafeText.Show(value)} has no ':'; {Fix}.";
        }

        if (value.IndexOf(':', colon + 1) >= 0)
        {
            return $"The user property name {SafeText.Show(value)} has more than one ':'; {Fix}.";
        }

        if (colon == 0 || colon == value.Length - 1)
        {
            return $"The user property name {SafeText.Show(value)} has an empty part; {Fix}.";
        }

        foreach (var c in value)
        {
            if (c != ':' && !IsLetterOrDigit(c) && c is not ('_' or '-' or '.'))
            {
                return $"The user property name {SafeText.Show(value)} contains {SafeText.Describe(c)}; {Fix}.";
            }
        }

        if (!IsLetterOrDigit(value[0]) || !IsLetterOrDigit(value[colon + 1]))
        {
            return $"The user property name {SafeText.Show(value)} has a part that does not begin with a letter or digit; {Fix}.";
        }

        return null;
    }

    private static bool IsLetterOrDigit(char c) => (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}
