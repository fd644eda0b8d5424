using System;
using System.Diagnostics;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using MigrationTools.Engine.Remote;

namespace MigrationTools.Engine.Transfer;

/// <summary>
/// Copies one stream into another with a bounded amount of memory: the next chunk is read while the
/// previous one is written, so a relay keeps both of its links busy, as a kernel pipe between two
/// processes would. Counts bytes into a <see cref="ProgressMeter"/> and honours a bandwidth limit.
/// </summary>
public static class StreamPump
{
    /// <summary>The chunk size: large enough to amortise system calls on fast links, small enough to stay lean.</summary>
    public const int DefaultChunkSize = StreamChunk.Size;

    /// <summary>Copies <paramref name="source"/> to its end into <paramref name="destination"/>.</summary>
    /// <param name="source">Read until it ends.</param>
    /// <param name="destination">Written, then flushed; not closed.</param>
    /// <param name="meter">Counts the bytes; may be <see langword="null"/>.</param>
    /// <param name="limit">The most bytes per second; <see langword="null"/> for no limit.</param>
    /// <param name="chunkSize">Bytes per read; two chunks are held at most.</param>
    /// <param name="cancellationToken">Stops the copy.</param>
    /// <returns>The number of bytes copied.</returns>
    public static async Task<long> CopyAsync(
        Stream source,
        Stream destination,
        ProgressMeter? meter = null,
        BandwidthLimit? limit = null,
        int chunkSize = DefaultChunkSize,
        CancellationToken cancellationToken = default)
    {
        if (source is null)
        {
            throw new ArgumentNullException(nameof(source));
        }

        if (destination is null)
        {
            throw new ArgumentNullException(nameof(destination));
        }

        if (chunkSize <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(chunkSize), chunkSize, "The chunk size must be positive.");
        }

        var reading = new byte[chunkSize];
        var writing = new byte[chunkSize];
        var clock = Stopwatch.StartNew();
        long total = 0;
        var read = await source.ReadAsync(reading, 0, chunkSize, cancellationToken).ConfigureAwait(false);
        while (read > 0)
        {
            (reading, writing) = (writing, reading);
            var write = destination.WriteAsync(writing, 0, read, cancellationToken);
            var next = source.ReadAsync(reading, 0, chunkSize, cancellationToken);
            try
            {
                await write.ConfigureAwait(false);
            }
            catch
            {
                // Don't leave the read running against a buffer the caller may dispose.
                await IgnoreFailureAsync(next).ConfigureAwait(false);
                throw;
            }

            total += read;
            meter?.Add(read);
            if (limit is not null)
            {
                await PaceAsync(total, limit, clock, cancellationToken).ConfigureAwait(false);
            }

            read = await next.ConfigureAwait(false);
        }

        await destination.FlushAsync(cancellationToken).ConfigureAwait(false);
        return total;
    }

    // Waits until the average rate since the start is back under the limit.
    private static Task PaceAsync(long total, BandwidthLimit limit, Stopwatch clock, CancellationToken cancellationToken)
    {
        var due = TimeSpan.FromSeconds((double)total / limit.BytesPerSecond);
        var ahead = due - clock.Elapsed;
        return ahead > TimeSpan.FromMilliseconds(1) ? Task.Delay(ahead, cancellationToken) : Task.CompletedTask;
    }

    private static async Task IgnoreFailureAsync(Task task)
    {
        try
        {
            await task.ConfigureAwait(false);
        }
#pragma warning disable CA1031 // The write's failure is the one reported; the read's is a consequence.
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }
}
