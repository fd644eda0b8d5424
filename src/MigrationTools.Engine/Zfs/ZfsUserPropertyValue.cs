using System;
using System.Text;
using MigrationTools.Engine.Remote;

namespace MigrationTools.Engine.Zfs;

/// <summary>
/// A validated value for a ZFS user property: 1 to 8191 bytes of UTF-8 (ZFS's limit: shorter than 8 KiB),
/// without control characters, so it survives the tab- and line-separated output of <c>zfs get -H</c>.
/// </summary>
public sealed record ZfsUserPropertyValue
{
    /// <summary>The most bytes (UTF-8) a value may have.</summary>
    internal const int MaxBytes = 8191;

    private ZfsUserPropertyValue(string value) => Value = value;

    /// <summary>The value.</summary>
    public string Value { get; }

    /// <summary>Validates <paramref name="value"/> as a user property value.</summary>
    /// <param name="value">The value.</param>
    /// <returns>The validated value.</returns>
    /// <exception cref="ArgumentException">The value is empty, too long or holds a control character.</exception>
    public static ZfsUserPropertyValue Parse(string value)
    {
        var error = Error(value);
        return error is null ? new ZfsUserPropertyValue(value) : throw new ArgumentException(error, nameof(value));
    }

    /// <summary>Validates <paramref name="value"/> as a user property value without throwing.</summary>
    /// <param name="value">The value.</param>
    /// <param name="result">The validated value, or <see langword="null"/> when invalid.</param>
    /// <returns>True when valid.</returns>
    public static bool TryParse(string? value, out ZfsUserPropertyValue? result)
    {
        result = Error(value) is null ? new ZfsUserPropertyValue(value!) : null;
        return result is not null;
    }

    /// <summary>The value.</summary>
    /// <returns><see cref="Value"/>.</returns>
    public override string ToString() => Value;

    private static string? Error(string? value)
    {
        if (value is null || value.Length == 0)
        {
            // zfs set refuses "name=" ("missing value"); inherit the property to clear it.
            return "A user property value cannot be empty; clear a property by inheriting it instead.";
        }

        foreach (var c in value)
        {
            if (char.IsControl(c))
            {
                return $"The user property value {SafeText.Show(value)} contains {SafeText.Describe(c)}; use text without control characters.";
            }
        }

        int bytes;
        try
        {
            bytes = new UTF8Encoding(false, true).GetByteCount(value);
        }
        catch (EncoderFallbackException)
        {
            return $"The user property value {SafeText.Show(value)} is not valid Unicode text (it has an unpaired surrogate).";
        }

        return bytes > MaxBytes
            ? $"The user property value {SafeText.Show(value)} is {bytes} bytes long in UTF-8 and ZFS allows at most {MaxBytes}."
            : null;
    }
}
