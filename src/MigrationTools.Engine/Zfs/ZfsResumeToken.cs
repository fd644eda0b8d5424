using System;
using MigrationTools.Engine.Remote;

namespace MigrationTools.Engine.Zfs;

/// <summary>
/// A validated <c>receive_resume_token</c>: what an interrupted resumable receive leaves on the target, and what
/// <c>zfs send -t</c> continues from. OpenZFS writes it as a version number and hexadecimal fields joined by
/// <c>-</c> (for example <c>1-e604ea4bf-e0-789c63a2...</c>).
/// </summary>
public sealed record ZfsResumeToken
{
    /// <summary>The longest token accepted; real ones are a few hundred characters.</summary>
    internal const int MaxLength = 65536;

    private ZfsResumeToken(string value) => Value = value;

    /// <summary>The token.</summary>
    public string Value { get; }

    /// <summary>Validates <paramref name="value"/> as a resume token.</summary>
    /// <param name="value">The token.</param>
    /// <returns>The token.</returns>
    /// <exception cref="ArgumentException">The value is not a resume token.</exception>
    public static ZfsResumeToken Parse(string value)
    {
        var error = Error(value);
        return error is null ? new ZfsResumeToken(value) : throw new ArgumentException(error, nameof(value));
    }

    /// <summary>Validates <paramref name="value"/> as a resume token without throwing.</summary>
    /// <param name="value">The token.</param>
    /// <param name="token">The token, or <see langword="null"/> when invalid.</param>
    /// <returns>True when valid.</returns>
    public static bool TryParse(string? value, out ZfsResumeToken? token)
    {
        token = Error(value) is null ? new ZfsResumeToken(value!) : null;
        return token is not null;
    }

    /// <summary>The token.</summary>
    /// <returns><see cref="Value"/>.</returns>
    public override string ToString() => Value;

    private static string? Error(string? value)
    {
        if (value is null || value.Length == 0)
        {
            return "The resume token is empty.";
        }

        if (value.Length > MaxLength)
        {
            return $"The resume token is {value.Length} characters long; at most {MaxLength} are accepted.";
        }

        if (!(value[0] >= '0' && value[0] <= '9') || value.IndexOf('-') < 0)
        {
            return $"{SafeText.Show(value)} is not a resume token: a token begins with its version number and a '-'.";
        }

        foreach (var c in value)
        {
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == '-'))
            {
                return $"{SafeText.Show(value)} is not a resume token: it contains {SafeText.Describe(c)}, and a token holds only hexadecimal digits and '-'.";
            }
        }

        return null;
    }
}
