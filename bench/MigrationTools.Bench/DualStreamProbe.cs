using System.Diagnostics;
using CliWrap;
using CliWrap.Buffered;
using MigrationTools.Engine.Remote;

namespace MigrationTools.Bench;

/// <summary>How one runner coped with a program that floods standard output and standard error at once.</summary>
/// <param name="Runner">The runner and how it was used.</param>
/// <param name="Seconds">Until the runner's task ended; null when it did not end within the limit (a deadlock).</param>
/// <param name="OutputBytes">Standard output bytes that reached the caller.</param>
/// <param name="ErrorBytesKept">Standard error bytes the caller holds at the end.</param>
/// <param name="AllocatedMib">Managed memory allocated during the run.</param>
internal sealed record DualStreamSample(string Runner, double? Seconds, long OutputBytes, long ErrorBytesKept, double AllocatedMib);

/// <summary>
/// A child writing <c>size</c> bytes to standard output and as many to standard error concurrently: a runner that
/// reads one stream after the other deadlocks once the other pipe fills.
/// </summary>
internal static class DualStreamProbe
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(120);

    public static async Task<List<DualStreamSample>> RunAsync(long size)
    {
        string[] flood = ["bash", "-c", $"head -c {size} /dev/zero | tr '\\0' o & head -c {size} /dev/zero | tr '\\0' e >&2; wait"];
        var command = new LocalCommand(flood[0], flood[1..]);
        return
        [
            await MeasureAsync("engine ProcessRunner (stdout streamed, stderr tail)", async token =>
            {
                var output = new CountingStream();
                var result = await ProcessRunner.RunAsync(command, standardOutput: output, cancellationToken: token);
                return (output.Count, result.StandardError.Length);
            }),
            await MeasureAsync("CliWrap, both streamed", async token =>
            {
                var output = new CountingStream();
                var error = new CountingStream();
                await Cli.Wrap(flood[0]).WithArguments(flood[1..])
                    .WithStandardOutputPipe(PipeTarget.ToStream(output))
                    .WithStandardErrorPipe(PipeTarget.ToStream(error))
                    .ExecuteAsync(token);
                return (output.Count, error.Count);
            }),
            await MeasureAsync("CliWrap ExecuteBufferedAsync", async token =>
            {
                var result = await Cli.Wrap(flood[0]).WithArguments(flood[1..]).ExecuteBufferedAsync(token);
                return (result.StandardOutput.Length, result.StandardError.Length);
            }),
        ];
    }

    private static async Task<DualStreamSample> MeasureAsync(string runner, Func<CancellationToken, Task<(long Output, long Error)>> run)
    {
        using var limit = new CancellationTokenSource(Limit);
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        var clock = Stopwatch.StartNew();
        try
        {
            var (output, error) = await run(limit.Token);
            return new DualStreamSample(runner, clock.Elapsed.TotalSeconds, output, error, (GC.GetTotalAllocatedBytes(precise: true) - allocated) / (double)(1 << 20));
        }
        catch (OperationCanceledException) when (limit.IsCancellationRequested)
        {
            return new DualStreamSample(runner, null, 0, 0, (GC.GetTotalAllocatedBytes(precise: true) - allocated) / (double)(1 << 20));
        }
    }

    /// <summary>A sink that only counts what is written to it.</summary>
    private sealed class CountingStream : Stream
    {
        public long Count { get; private set; }

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => Count;

        public override long Position { get => Count; set => throw new NotSupportedException(); }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => Count += count;

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Count += buffer.Length;
            return ValueTask.CompletedTask;
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            Count += count;
            return Task.CompletedTask;
        }
    }
}
