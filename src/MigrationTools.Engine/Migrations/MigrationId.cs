using System;
using System.Security.Cryptography;
using System.Text;
using MigrationTools.Engine.Remote;
using MigrationTools.Engine.Zfs;

namespace MigrationTools.Engine.Migrations;

/// <summary>
/// A migration's id: <c>m-</c> and 12 lowercase hex digits. It names the journal file, the migration snapshots
/// and the holds, so it is kept to a form that is safe in all three.
/// </summary>
public sealed record MigrationId
{
    /// <summary>What every id begins with.</summary>
    public const string Prefix = "m-";

    /// <summary>The number of hex digits after the prefix.</summary>
    public const int HexDigits = 12;

    private MigrationId(string value) => Value = value;

    /// <summary>The id's text.</summary>
    public string Value { get; }

    /// <summary>A fresh random id (48 bits, so collisions between migrations of one journal are negligible).</summary>
    /// <returns>The id.</returns>
    public static MigrationId New()
    {
        var bytes = new byte[HexDigits / 2];
        using (var random = RandomNumberGenerator.Create())
        {
            random.GetBytes(bytes);
        }

        var text = new StringBuilder(Prefix, Prefix.Length + HexDigits);
        foreach (var b in bytes)
        {
            text.Append("0123456789abcdef"[b >> 4]).Append("0123456789abcdef"[b & 0xF]);
        }

        return new MigrationId(text.ToString());
    }

    /// <summary>Why <paramref name="value"/> is not a migration id, or <see langword="null"/> when it is.</summary>
    /// <param name="value">The text.</param>
    /// <returns>The reason, or <see langword="null"/>.</returns>
    public static string? Error(string? value)
    {
        const string Fix = "a migration id is 'm-' followed by 12 lowercase hex digits, such as m-0123456789ab";
        if (value is null || value.Length == 0)
        {
            return $"The migration id is empty; {Fix}.";
        }

        if (value.Length != Prefix.Length + HexDigits || !value.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return $"{SafeText.Show(value)} is not a migration id; {Fix}.";
        }

        for (var i = Prefix.Length; i < value.Length; i++)
        {
            var c = value[i];
            if (!(c is >= '0' and <= '9' || c is >= 'a' and <= 'f'))
            {
                return $"The migration id {SafeText.Show(value)} contains {SafeText.Describe(c)}; {Fix}.";
            }
        }

        // The form above already satisfies the snapshot rule; checking keeps the two from drifting apart.
        return MigrationSnapshotNames.MigrationIdError(value);
    }

    /// <summary>Reads an id.</summary>
    /// <param name="value">The text.</param>
    /// <returns>The id.</returns>
    /// <exception cref="ArgumentException">The text is not a migration id.</exception>
    public static MigrationId Parse(string value) =>
        Error(value) is { } error ? throw new ArgumentException(error, nameof(value)) : new MigrationId(value);

    /// <summary>Reads an id without throwing.</summary>
    /// <param name="value">The text.</param>
    /// <param name="id">The id, or <see langword="null"/>.</param>
    /// <returns>Whether the text is a migration id.</returns>
    public static bool TryParse(string? value, out MigrationId? id)
    {
        id = Error(value) is null ? new MigrationId(value!) : null;
        return id is not null;
    }

    /// <inheritdoc/>
    public override string ToString() => Value;
}
