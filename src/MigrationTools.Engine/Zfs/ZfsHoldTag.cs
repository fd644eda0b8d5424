using System;
using MigrationTools.Engine.Remote;

namespace MigrationTools.Engine.Zfs;

/// <summary>
/// A validated hold tag, such as <c>migrationtools</c>: 1-64 ASCII letters, digits and <c>_ - . :</c>, beginning
/// with a letter or digit (ZFS's own tools use tags beginning with '.', such as <c>.send-PID-N</c>).
/// </summary>
public sealed record ZfsHoldTag
{
    /// <summary>The longest tag accepted.</summary>
    internal const int MaxLength = 64;

    private ZfsHoldTag(string value) => Value = value;

    /// <summary>The tag.</summary>
    public string Value { get; }

    /// <summary>Validates <paramref name="value"/> as a hold tag.</summary>
    /// <param name="value">The tag.</param>
    /// <returns>The tag.</returns>
    /// <exception cref="ArgumentException">The tag is invalid; the message says why and what would do.</exception>
    public static ZfsHoldTag Parse(string value)
    {
        var error = Error(value);
        return error is null ? new ZfsHoldTag(value) : throw new ArgumentException(error, nameof(value));
    }

    /// <summary>Validates <paramref name="value"/> as a hold tag without throwing.</summary>
    /// <param name="value">The tag.</param>
    /// <param name="tag">The tag, or <see langword="null"/> when invalid.</param>
    /// <returns>True when valid.</returns>
    public static bool TryParse(string? value, out ZfsHoldTag? tag)
    {
        tag = Error(value) is null ? new ZfsHoldTag(value!) : null;
        return tag is not null;
    }

    /// <summary>The tag.</summary>
    /// <returns><see cref="Value"/>.</returns>
    public override string ToString() => Value;

    private static string? Error(string? value)
    {
        const string Fix = "use 1-64 letters, digits, '_', '-', '.' and ':', beginning with a letter or digit (for example 'migrationtools')";
        if (value is null || value.Length == 0)
        {
            return $"The hold tag is empty; {Fix}.";
        }

        if (value.Length > MaxLength)
        {
            return $"The hold tag {SafeText.Show(value)} is {value.Length} characters long; {Fix}.";
        }

        if (!IsLetterOrDigit(value[0]))
        {
            return $"The hold tag {SafeText.Show(value)} begins with {SafeText.Describe(value[0])}; {Fix}.";
        }

        foreach (var c in value)
        {
            if (!IsLetterOrDigit(c) && c is not ('_' or '-' or '.' or ':'))
            {
                return $"The hold tag {SafeText.Show(value)} contains {SafeText.Describe(c)}; {Fix}.";
            }
        }

        return null;
    }

    private static bool IsLetterOrDigit(char c) => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}
