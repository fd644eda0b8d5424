using MigrationTools.Engine.Remote;
using MigrationTools.Engine.Transfer;
using MigrationTools.Lab.Tests.Lab;

namespace MigrationTools.Lab.Tests.Transfer;

/// <summary>Byte streams from h1 to h2 over both paths, whole or with both ends' failures reported.</summary>
[Collection(LabCollection.Name)]
public sealed class StreamTransferLabTests(LabFixture lab)
{
    private const int Size = 48 << 20;

    public static TheoryData<TransferPath> Paths => new() { TransferPath.Relay, TransferPath.Direct };

    [LabTheory]
    [MemberData(nameof(Paths))]
    public async Task StreamArrivesWholeWithProgress(TransferPath path)
    {
        var file = $"/tmp/mt-transfer-{Guid.NewGuid():N}";
        using var h1 = lab.Connect("h1");
        using var h2 = lab.Connect("h2");
        try
        {
            var sent = (await lab.SshCheckedAsync("h1", $"head -c {Size} /dev/urandom > {file} && sha256sum < {file}")).Split(' ')[0];
            var reports = new List<TransferProgress>();
            var meter = new ProgressMeter(new SynchronousProgress(reports), Size, interval: TimeSpan.Zero);

            var result = await RunAsync(path, h1, RemoteCommand.Create("cat", file), h2, RemoteCommand.Create("sh", "-c", "cat > \"$1\"", "sh", file), meter);

            var received = (await lab.SshCheckedAsync("h2", $"sha256sum < {file}")).Split(' ')[0];
            Assert.Equal(sent, received);
            Assert.Equal(Size, result.Bytes);
            Assert.Equal(path, result.Path);
            Assert.True(reports[^1].IsComplete);
            Assert.Equal(Size, reports[^1].Bytes);
            Assert.Equal(reports.Select(r => r.Bytes).Order(), reports.Select(r => r.Bytes));
        }
        finally
        {
            await lab.SshAsync("h1", $"rm -f {file}");
            await lab.SshAsync("h2", $"rm -f {file}");
        }
    }

    [LabTheory]
    [MemberData(nameof(Paths))]
    public async Task AFailingReceiverIsReportedWithWhatItSaid(TransferPath path)
    {
        using var h1 = lab.Connect("h1");
        using var h2 = lab.Connect("h2");

        var error = await Assert.ThrowsAsync<TransferFailedException>(() => RunAsync(
            path, h1, RemoteCommand.Create("head", "-c", "10000000", "/dev/zero"),
            h2, RemoteCommand.Create("sh", "-c", "echo 'no room on target' >&2; exit 4"),
            new ProgressMeter(null)));

        Assert.NotNull(error.ReceiveFailure);
        Assert.Contains("no room on target", error.Message, StringComparison.Ordinal);
        Assert.Contains("status 4", error.ReceiveFailure, StringComparison.Ordinal);
    }

    [LabTheory]
    [MemberData(nameof(Paths))]
    public async Task AFailingSenderIsReportedWithWhatItSaid(TransferPath path)
    {
        using var h1 = lab.Connect("h1");
        using var h2 = lab.Connect("h2");

        var error = await Assert.ThrowsAsync<TransferFailedException>(() => RunAsync(
            path, h1, RemoteCommand.Create("sh", "-c", "head -c 1000 /dev/zero; echo 'source dataset vanished' >&2; exit 3"),
            h2, RemoteCommand.Create("sh", "-c", "cat >/dev/null; exit 1"),
            new ProgressMeter(null)));

        Assert.NotNull(error.SendFailure);
        Assert.Contains("source dataset vanished", error.Message, StringComparison.Ordinal);
        Assert.Contains("status 3", error.SendFailure, StringComparison.Ordinal);
    }

    [LabFact]
    public async Task RelayHonoursABandwidthLimit()
    {
        using var h1 = lab.Connect("h1");
        using var h2 = lab.Connect("h2");
        var limit = BandwidthLimit.Parse("4M");

        var result = await RelayTransfer.RunAsync(
            h1, RemoteCommand.Create("head", "-c", "8388608", "/dev/zero"),
            h2, RemoteCommand.Create("sh", "-c", "cat >/dev/null"),
            new ProgressMeter(null), limit);

        // 8 MiB at 4 MiB/s: about two seconds; unlimited it takes a small fraction of one.
        Assert.True(result.Elapsed >= TimeSpan.FromSeconds(1.8), $"took {result.Elapsed}");
        Assert.True(result.BytesPerSecond <= limit.BytesPerSecond * 1.05, $"{result.BytesPerSecond} bytes/s");
    }

    [LabFact]
    public async Task DirectPathHonoursABandwidthLimitOnTheSource()
    {
        using var h1 = lab.Connect("h1");
        var limit = BandwidthLimit.Parse("4M");

        var result = await DirectTransfer.RunAsync(
            h1, RemoteCommand.Create("head", "-c", "8388608", "/dev/zero"),
            SshDestination.Parse("h2"), RemoteCommand.Create("sh", "-c", "cat >/dev/null"),
            new ProgressMeter(null), limit);

        Assert.Equal(8 << 20, result.Bytes);
        Assert.True(result.Elapsed >= TimeSpan.FromSeconds(1.8), $"took {result.Elapsed}");
    }

    private static Task<TransferResult> RunAsync(
        TransferPath path, SshConnection source, RemoteCommand send, SshConnection target, RemoteCommand receive, ProgressMeter meter) =>
        path == TransferPath.Relay
            ? RelayTransfer.RunAsync(source, send, target, receive, meter)
            : DirectTransfer.RunAsync(source, send, target.Destination, receive, meter);

    /// <summary>Records reports on the reporting thread (Progress&lt;T&gt; would post them later).</summary>
    private sealed class SynchronousProgress(List<TransferProgress> reports) : IProgress<TransferProgress>
    {
        public void Report(TransferProgress value)
        {
            lock (reports)
            {
                reports.Add(value);
            }
        }
    }
}
