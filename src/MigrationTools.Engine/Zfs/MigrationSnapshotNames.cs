using System;
using System.Collections.Generic;
using System.Globalization;
using MigrationTools.Engine.Remote;

namespace MigrationTools.Engine.Zfs;

/// <summary>
/// The snapshots a migration takes are named <c>dataset@mt-&lt;migrationId&gt;-&lt;n&gt;</c>: n counts from 1 (the
/// first full stream) up by one per sync round. A migration id is 1-40 lowercase ASCII letters, digits and '-',
/// beginning and ending with a letter or digit. The sequence number is the part after the last '-', so ids
/// that end in digits still parse back unambiguously.
/// </summary>
internal static class MigrationSnapshotNames
{
    /// <summary>What every migration snapshot's short name begins with.</summary>
    public const string Prefix = "mt-";

    /// <summary>The longest migration id accepted.</summary>
    internal const int MaxMigrationIdLength = 40;

    /// <summary>Why <paramref name="migrationId"/> is not a valid migration id, or <see langword="null"/> when it is.</summary>
    /// <param name="migrationId">The id.</param>
    /// <returns>The reason, or <see langword="null"/>.</returns>
    internal static string? MigrationIdError(string? migrationId)
    {
        const string Fix = "use 1-40 lowercase letters, digits and '-', beginning and ending with a letter or digit (for example 'web-20260101')";
        if (migrationId is null || migrationId.Length == 0)
        {
            return $"The migration id is empty; {Fix}.";
        }

        if (migrationId.Length > MaxMigrationIdLength)
        {
            return $"The migration id {SafeText.Show(migrationId)} is {migrationId.Length} characters long; {Fix}.";
        }

        foreach (var c in migrationId)
        {
            if (!IsLowerAlnum(c) && c != '-')
            {
                return $"The migration id {SafeText.Show(migrationId)} contains {SafeText.Describe(c)}; {Fix}.";
            }
        }

        if (!IsLowerAlnum(migrationId[0]) || !IsLowerAlnum(migrationId[migrationId.Length - 1]))
        {
            return $"The migration id {SafeText.Show(migrationId)} begins or ends with '-'; {Fix}.";
        }

        return null;
    }

    /// <summary>The short name <c>mt-&lt;migrationId&gt;-&lt;sequence&gt;</c>.</summary>
    /// <param name="migrationId">The migration's id.</param>
    /// <param name="sequence">The snapshot's number, 1 or more.</param>
    /// <returns>The part after <c>@</c>.</returns>
    /// <exception cref="ArgumentException">The id is invalid.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="sequence"/> is below 1.</exception>
    public static string ShortName(string migrationId, int sequence)
    {
        if (MigrationIdError(migrationId) is { } error)
        {
            throw new ArgumentException(error, nameof(migrationId));
        }

        if (sequence < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(sequence), sequence, "Migration snapshots are numbered from 1.");
        }

        return Prefix + migrationId + "-" + sequence.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>The snapshot <c>dataset@mt-&lt;migrationId&gt;-&lt;sequence&gt;</c>.</summary>
    /// <param name="dataset">The dataset.</param>
    /// <param name="migrationId">The migration's id.</param>
    /// <param name="sequence">The snapshot's number, 1 or more.</param>
    /// <returns>The snapshot name.</returns>
    /// <exception cref="ArgumentException">The id is invalid, or the whole name would be too long.</exception>
    public static SnapshotName Format(DatasetName dataset, string migrationId, int sequence)
    {
        if (dataset is null)
        {
            throw new ArgumentNullException(nameof(dataset));
        }

        return dataset.Snapshot(ShortName(migrationId, sequence));
    }

    /// <summary>Reads a migration snapshot's short name (the part after <c>@</c>) back into its id and number.</summary>
    /// <param name="shortName">A snapshot's short name.</param>
    /// <param name="migrationId">The migration id, or <see langword="null"/>.</param>
    /// <param name="sequence">The number, or 0.</param>
    /// <returns>True when the name follows the scheme exactly (no leading zeros, n of 1 or more).</returns>
    public static bool TryParse(string? shortName, out string? migrationId, out int sequence)
    {
        migrationId = null;
        sequence = 0;
        if (shortName is null || !shortName.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }

        var dash = shortName.LastIndexOf('-');
        if (dash < Prefix.Length)
        {
            return false;
        }

        var id = shortName.Substring(Prefix.Length, dash - Prefix.Length);
        var number = shortName.Substring(dash + 1);
        if (MigrationIdError(id) is not null
            || number.Length == 0
            || number[0] == '0'
            || !int.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out var n))
        {
            return false;
        }

        migrationId = id;
        sequence = n;
        return true;
    }

    /// <summary>Reads a migration snapshot's name back into its id and number.</summary>
    /// <param name="snapshot">The snapshot.</param>
    /// <param name="migrationId">The migration id, or <see langword="null"/>.</param>
    /// <param name="sequence">The number, or 0.</param>
    /// <returns>True when the snapshot follows the scheme.</returns>
    public static bool TryParse(SnapshotName snapshot, out string? migrationId, out int sequence) =>
        TryParse((snapshot ?? throw new ArgumentNullException(nameof(snapshot))).ShortName, out migrationId, out sequence);

    /// <summary>True when <paramref name="snapshot"/> is one of any migration's snapshots.</summary>
    /// <param name="snapshot">The snapshot.</param>
    /// <returns>True when its name follows the scheme.</returns>
    internal static bool IsOurs(SnapshotName snapshot) => TryParse(snapshot, out _, out _);

    /// <summary>True when <paramref name="snapshot"/> was taken by the migration <paramref name="migrationId"/>.</summary>
    /// <param name="snapshot">The snapshot.</param>
    /// <param name="migrationId">The migration's id.</param>
    /// <returns>True when its name follows the scheme with that id.</returns>
    internal static bool IsOurs(SnapshotName snapshot, string migrationId) =>
        TryParse(snapshot, out var id, out _) && string.Equals(id, migrationId, StringComparison.Ordinal);

    /// <summary>The number for the migration's next snapshot: one more than the highest among <paramref name="existing"/>.</summary>
    /// <param name="existing">The dataset's snapshots.</param>
    /// <param name="migrationId">The migration's id.</param>
    /// <returns>1 when the migration has no snapshot yet.</returns>
    public static int NextSequence(IEnumerable<ZfsSnapshot> existing, string migrationId)
    {
        if (existing is null)
        {
            throw new ArgumentNullException(nameof(existing));
        }

        if (MigrationIdError(migrationId) is { } error)
        {
            throw new ArgumentException(error, nameof(migrationId));
        }

        var highest = 0;
        foreach (var snapshot in existing)
        {
            if (TryParse(snapshot.Name, out var id, out var n) && string.Equals(id, migrationId, StringComparison.Ordinal) && n > highest)
            {
                highest = n;
            }
        }

        return checked(highest + 1);
    }

    private static bool IsLowerAlnum(char c) => (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}
