using System.Globalization;

namespace MigrationTools.Cli.Output;

/// <summary>The forms values take in JSON and tables, in one place so every command writes them alike.</summary>
internal static class Words
{
    /// <summary>An enum value as a camelCase word, as the journal writes it: <c>Switched</c> is <c>switched</c>.</summary>
    /// <typeparam name="T">The enum.</typeparam>
    /// <param name="value">The value.</param>
    /// <returns>The word.</returns>
    public static string Of<T>(T value)
        where T : struct, Enum
    {
        var name = value.ToString();
        return char.ToLowerInvariant(name[0]) + name[1..];
    }

    /// <summary>A camelCase word as people write it, as the command line takes it: <c>postCopy</c> is <c>post-copy</c>.</summary>
    /// <param name="word">The camelCase word.</param>
    /// <returns>The hyphenated word.</returns>
    public static string Hyphenated(string word)
    {
        ArgumentNullException.ThrowIfNull(word);
        return string.Concat(word.Select(c => char.IsUpper(c) ? "-" + char.ToLowerInvariant(c) : c.ToString()));
    }

    /// <summary>A duration in seconds, to the millisecond.</summary>
    /// <param name="value">The duration, or <see langword="null"/>.</param>
    /// <returns>The seconds, or <see langword="null"/>.</returns>
    public static double? Seconds(TimeSpan? value) => value is { } time ? Math.Round(time.TotalSeconds, 3) : null;

    /// <summary>An instant in ISO 8601 with its offset.</summary>
    /// <param name="value">The instant.</param>
    /// <returns>The text.</returns>
    public static string Instant(DateTimeOffset value) => value.ToString("O", CultureInfo.InvariantCulture);

    /// <summary>A duration for people: "0.84 s", "12 s", "3 min 05 s", "1 h 02 min".</summary>
    /// <param name="value">The duration.</param>
    /// <returns>The text.</returns>
    public static string Duration(TimeSpan value)
    {
        if (value < TimeSpan.FromSeconds(10))
        {
            return value.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture) + " s";
        }

        if (value < TimeSpan.FromMinutes(1))
        {
            return value.TotalSeconds.ToString("0", CultureInfo.InvariantCulture) + " s";
        }

        return value < TimeSpan.FromHours(1)
            ? string.Create(CultureInfo.InvariantCulture, $"{(int)value.TotalMinutes} min {value.Seconds:00} s")
            : string.Create(CultureInfo.InvariantCulture, $"{(int)value.TotalHours} h {value.Minutes:00} min");
    }

    /// <summary>Time left for a progress line: "0:07", "12:30", "1:02:03".</summary>
    /// <param name="value">The time left.</param>
    /// <returns>The text.</returns>
    public static string Clock(TimeSpan value) => value >= TimeSpan.FromHours(1)
        ? string.Create(CultureInfo.InvariantCulture, $"{(int)value.TotalHours}:{value.Minutes:00}:{value.Seconds:00}")
        : string.Create(CultureInfo.InvariantCulture, $"{value.Minutes}:{value.Seconds:00}");
}
