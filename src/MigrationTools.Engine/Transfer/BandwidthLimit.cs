using System;
using System.Globalization;

namespace MigrationTools.Engine.Transfer;

/// <summary>An upper bound on a transfer's rate, in bytes per second.</summary>
public sealed record BandwidthLimit
{
    /// <summary>The least limit accepted: below this a migration would not finish in any useful time.</summary>
    internal const long MinimumBytesPerSecond = 1024;

    /// <summary>The greatest limit accepted (100 GiB/s): anything above is a typo, not a limit.</summary>
    internal const long MaximumBytesPerSecond = 100L * 1024 * 1024 * 1024;

    private BandwidthLimit(long bytesPerSecond) => BytesPerSecond = bytesPerSecond;

    /// <summary>The limit.</summary>
    public long BytesPerSecond { get; }

    /// <summary>A limit of <paramref name="bytesPerSecond"/> bytes per second.</summary>
    /// <param name="bytesPerSecond">From <see cref="MinimumBytesPerSecond"/> to <see cref="MaximumBytesPerSecond"/>.</param>
    /// <returns>The limit.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The value is outside that range.</exception>
    internal static BandwidthLimit FromBytesPerSecond(long bytesPerSecond) =>
        bytesPerSecond is >= MinimumBytesPerSecond and <= MaximumBytesPerSecond
            ? new BandwidthLimit(bytesPerSecond)
            : throw new ArgumentOutOfRangeException(nameof(bytesPerSecond), bytesPerSecond,
                $"A bandwidth limit must be from {MinimumBytesPerSecond} bytes/s (1K) to {MaximumBytesPerSecond} bytes/s (100G); " +
                "give a value such as 50M for 50 MiB/s, or no limit at all.");

    /// <summary>
    /// Parses a rate in bytes per second: a whole or decimal number with an optional binary suffix
    /// K, M, G (KiB, MiB, GiB per second; case-insensitive, an optional trailing 'B' or "iB" allowed).
    /// </summary>
    /// <param name="text">For example "50M", "1.5G", "800K" or "1048576".</param>
    /// <returns>The limit.</returns>
    /// <exception cref="FormatException">The text is not such a rate; the message shows the form.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The rate is outside the accepted range.</exception>
    public static BandwidthLimit Parse(string text)
    {
        if (text is null)
        {
            throw new ArgumentNullException(nameof(text));
        }

        var value = text.Trim();
        var upper = value.ToUpperInvariant();
        foreach (var suffix in new[] { "IB", "B" })
        {
            if (upper.Length > suffix.Length && upper.EndsWith(suffix, StringComparison.Ordinal) &&
                "KMG".IndexOf(upper[upper.Length - suffix.Length - 1]) >= 0)
            {
                upper = upper.Substring(0, upper.Length - suffix.Length);
                break;
            }
        }

        long multiplier = 1;
        if (upper.Length > 0 && "KMG".IndexOf(upper[upper.Length - 1]) is var unit and >= 0)
        {
            multiplier = 1L << (10 * (unit + 1));
            upper = upper.Substring(0, upper.Length - 1);
        }

        if (upper.Length == 0 ||
            !decimal.TryParse(upper, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number) ||
            number <= 0 || number > MaximumBytesPerSecond)
        {
            throw new FormatException(
                $"'{text}' is not a bandwidth limit: give a positive number of bytes per second, optionally with K, M or G " +
                "(binary units), for example 50M.");
        }

        return FromBytesPerSecond((long)Math.Round(number * multiplier));
    }

    /// <summary>The limit in a form <see cref="Parse"/> reads back, in the largest exact unit.</summary>
    /// <returns>For example "50M".</returns>
    public override string ToString()
    {
        foreach (var (suffix, size) in new[] { ("G", 1L << 30), ("M", 1L << 20), ("K", 1L << 10) })
        {
            if (BytesPerSecond % size == 0)
            {
                return (BytesPerSecond / size).ToString(CultureInfo.InvariantCulture) + suffix;
            }
        }

        return BytesPerSecond.ToString(CultureInfo.InvariantCulture);
    }
}
