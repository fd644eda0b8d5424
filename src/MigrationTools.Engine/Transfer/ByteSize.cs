using System.Globalization;

namespace MigrationTools.Engine.Transfer;

/// <summary>Byte counts for people: binary units with one decimal, such as "1.5 GiB".</summary>
public static class ByteSize
{
    private static readonly string[] Units = { "B", "KiB", "MiB", "GiB", "TiB", "PiB" };

    /// <summary>Formats <paramref name="bytes"/> in the largest unit that keeps the number at least 1.</summary>
    /// <param name="bytes">A byte count.</param>
    /// <returns>For example "512 B", "1.5 GiB".</returns>
    public static string Format(long bytes)
    {
        double value = bytes;
        var unit = 0;
        while (System.Math.Abs(value) >= 1024 && unit < Units.Length - 1)
        {
            value /= 1024;
            unit++;
        }

        return unit == 0
            ? bytes.ToString(CultureInfo.InvariantCulture) + " B"
            : value.ToString("0.0", CultureInfo.InvariantCulture) + " " + Units[unit];
    }
}
