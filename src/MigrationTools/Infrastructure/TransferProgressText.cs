using System;
using System.Globalization;
using MigrationTools.Engine.Transfer;

namespace MigrationTools.Infrastructure;

/// <summary>How a transfer's progress reads on a progress bar: bytes, total, rate, and the time left.</summary>
internal static class TransferProgressText
{
    /// <summary>
    /// The status line: <c>1.2 GiB of 4.0 GiB at 110.3 MiB/s</c>; <c>of about</c> for an estimated total; without a
    /// total when none is known; <c>4.0 GiB in 00:00:37 (110.3 MiB/s on average)</c> once complete.
    /// </summary>
    /// <param name="progress">The engine's report.</param>
    /// <returns>The text.</returns>
    public static string Describe(TransferProgress progress)
    {
        if (progress is null)
        {
            throw new ArgumentNullException(nameof(progress));
        }

        var rate = Rate(progress.BytesPerSecond);
        if (progress.IsComplete)
        {
            var elapsed = TimeSpan.FromSeconds(Math.Round(progress.Elapsed.TotalSeconds));
            return $"{ByteSize.Format(progress.Bytes)} in {elapsed.ToString("c", CultureInfo.InvariantCulture)} ({rate} on average)";
        }

        var total = progress.ExpectedBytes is { } expected
            ? (progress.ExpectedIsEstimate ? " of about " : " of ") + ByteSize.Format(expected)
            : "";
        return $"{ByteSize.Format(progress.Bytes)}{total} at {rate}";
    }

    /// <summary>The percentage for a progress record, or -1 when the total is unknown.</summary>
    /// <param name="progress">The engine's report.</param>
    /// <returns>0-100, or -1.</returns>
    public static int PercentComplete(TransferProgress progress) =>
        (progress ?? throw new ArgumentNullException(nameof(progress))).PercentComplete ?? -1;

    /// <summary>Whole seconds left at the recent rate for a progress record, or -1 when unknown.</summary>
    /// <param name="progress">The engine's report.</param>
    /// <returns>The seconds, or -1.</returns>
    public static int SecondsRemaining(TransferProgress progress)
    {
        var eta = (progress ?? throw new ArgumentNullException(nameof(progress))).Eta;
        return eta is { } left && left.TotalSeconds < int.MaxValue ? (int)Math.Ceiling(left.TotalSeconds) : -1;
    }

    private static string Rate(double bytesPerSecond) =>
        ByteSize.Format((long)Math.Max(0, Math.Min(bytesPerSecond, long.MaxValue))) + "/s";
}
