using System.Diagnostics;
using System.Security.Cryptography;
using MigrationTools.Engine.Transfer;

namespace MigrationTools.Engine.Tests.Transfer;

public sealed class StreamPumpTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(4096)]
    [InlineData(3 * (1 << 20) + 17)]
    public async Task CopiesEveryByteInOrder(int size)
    {
        var data = RandomNumberGenerator.GetBytes(size);
        using var source = new MemoryStream(data);
        using var destination = new MemoryStream();
        var meter = new ProgressMeter(null);

        var copied = await StreamPump.CopyAsync(source, destination, meter, chunkSize: 64 * 1024);

        Assert.Equal(size, copied);
        Assert.Equal(size, meter.Bytes);
        Assert.Equal(data, destination.ToArray());
    }

    [Fact]
    public async Task ShortReadsAreHandled()
    {
        var data = RandomNumberGenerator.GetBytes(100_000);
        using var source = new TricklingStream(data, maximumRead: 777);
        using var destination = new MemoryStream();

        await StreamPump.CopyAsync(source, destination, chunkSize: 4096);

        Assert.Equal(data, destination.ToArray());
    }

    [Fact]
    public async Task BandwidthLimitHoldsTheAverageRateDown()
    {
        using var source = new MemoryStream(new byte[512 * 1024]);
        using var destination = new MemoryStream();
        var clock = Stopwatch.StartNew();

        await StreamPump.CopyAsync(source, destination, limit: BandwidthLimit.FromBytesPerSecond(1 << 20), chunkSize: 64 * 1024);

        // 512 KiB at 1 MiB/s cannot take less than about half a second; without the limit it takes microseconds.
        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(400), $"copied in {clock.Elapsed}");
        Assert.Equal(512 * 1024, destination.Length);
    }

    [Fact]
    public async Task CancellationStopsTheCopy()
    {
        using var cancellation = new CancellationTokenSource();
        using var source = new EndlessStream(afterBytes: 1 << 20, cancellation);
        using var destination = new MemoryStream();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => StreamPump.CopyAsync(source, destination, chunkSize: 64 * 1024, cancellationToken: cancellation.Token));
    }

    [Fact]
    public async Task AWriteFailureSurfaces()
    {
        using var source = new MemoryStream(new byte[1 << 20]);
        using var destination = new FailingStream();

        await Assert.ThrowsAsync<IOException>(() => StreamPump.CopyAsync(source, destination, chunkSize: 4096));
    }

    private sealed class TricklingStream(byte[] data, int maximumRead) : MemoryStream(data)
    {
        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            base.ReadAsync(buffer, offset, Math.Min(count, maximumRead), cancellationToken);
    }

    private sealed class EndlessStream(long afterBytes, CancellationTokenSource cancellation) : Stream
    {
        private long _served;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => _served; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            _served += count;
            if (_served > afterBytes)
            {
                cancellation.Cancel();
            }

            return count;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    private sealed class FailingStream : MemoryStream
    {
        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            Position > 8192 ? Task.FromException(new IOException("disk full")) : base.WriteAsync(buffer, offset, count, cancellationToken);
    }
}
