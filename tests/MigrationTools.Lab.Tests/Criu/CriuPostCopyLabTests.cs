using System.Diagnostics;
using MigrationTools.Engine.Criu;
using MigrationTools.Engine.Remote;
using MigrationTools.Engine.Transfer;
using MigrationTools.Lab.Tests.Lab;
using Xunit.Abstractions;

namespace MigrationTools.Lab.Tests.Criu;

/// <summary>
/// Memory moved without copying page images: post-copy (lazy pages pulled from the frozen source) and streamed
/// stop-and-copy (pages sent to a page server on the destination), checked by the checksum of the moved memory.
/// </summary>
[Collection(LabCollection.Name)]
public sealed class CriuPostCopyLabTests(LabFixture lab, ITestOutputHelper output)
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(120);

    // Stopped by a signal, or by CRIU as its tracer.
    private static readonly string[] Stopped = ["T", "t"];

    [LabFact]
    public async Task TheHostsFindEachOthersAddressesOnTheLabNetwork()
    {
        using var h1 = lab.Connect("h1");

        var link = await HostLink.ResolveAsync(h1, SshDestination.Parse("h2"));

        output.WriteLine($"h1 {link.Source} -> h2 {link.Destination}");
        Assert.Equal((await lab.SshCheckedAsync("h2", "ip -o -4 addr show dev eth0 | awk '{ sub(/\\/.*/, \"\", $4); print $4 }'")).Trim(),
            link.Destination.ToString());
        Assert.Equal((await lab.SshCheckedAsync("h1", "ip -o -4 addr show dev eth0 | awk '{ sub(/\\/.*/, \"\", $4); print $4 }'")).Trim(),
            link.Source.ToString());
        var missing = await Assert.ThrowsAsync<RemoteException>(() => HostLink.ResolveAsync(h1, SshDestination.Parse("no-such-host.invalid")));
        Assert.Contains("cannot resolve", missing.Message, StringComparison.Ordinal);
    }

    [LabFact]
    public async Task PostCopyMovesAProcessWith64MiBFromH1ToH2WithItsMemoryIntact()
    {
        var holder = new MemoryHolder(lab, 64);
        using var h1 = lab.Connect("h1");
        using var h2 = lab.Connect("h2");
        var (criu1, criu2) = (new CriuHost(h1), new CriuHost(h2));
        var images = CriuImageDirectory.Parse("/run/migrationtools/images/postcopy-" + Guid.NewGuid().ToString("N")[..12]);
        var processes = new List<(string, int)>();
        try
        {
            var process = await holder.StartAsync("h1", "h2");
            processes.Add(("h1", process.Pid));
            var before = await holder.FirstChecksumAsync("h1");
            var link = await HostLink.ResolveAsync(h1, SshDestination.Parse("h2"));

            var clock = Stopwatch.StartNew();
            var dump = await criu1.StartLazyDumpAsync(new CriuDumpRequest(process, images), link.Source);
            Assert.Equal(CriuTransferState.Running, (await criu1.WaitForLazyDumpAsync(images, TimeSpan.Zero)).State);
            Assert.Contains(await holder.StateAsync("h1", process.Pid), Stopped);
            Assert.True(dump.ImageBytes is > 0 and < 16 << 20, $"the non-memory images are {dump.ImageBytes} bytes");
            var shipped = await CriuImageShipment.RelayAsync(h1, images, h2, images, new ProgressMeter(null));
            var restored = await criu2.RestoreLazilyAsync(CriuRestoreRequest.For(dump), dump.Endpoint);
            processes.Add(("h2", restored.Process.Pid));
            var runningAt = clock.Elapsed;

            var pages = await criu2.WaitForLazyPagesAsync(images, Limit);
            var source = await criu1.WaitForLazyDumpAsync(images, Limit);
            output.WriteLine(
                $"lazy dump {dump.Elapsed.TotalSeconds:0.000}s ({dump.ImageBytes} bytes, serving on {dump.Endpoint}), images {shipped.Bytes} bytes, " +
                $"restore {restored.Elapsed.TotalSeconds:0.000}s; running on h2 {runningAt.TotalSeconds:0.000}s after the freeze, every page " +
                $"after {clock.Elapsed.TotalSeconds:0.000}s. {pages.Detail} {source.Detail}");

            Assert.Equal(CriuTransferState.Finished, pages.State);
            Assert.Equal(CriuTransferState.Finished, source.State);
            Assert.Equal(before, await holder.ChecksumAsync("h2"));
            Assert.Contains(await holder.StateAsync("h1", process.Pid), Stopped);
            Assert.False(await criu2.StopLazyPagesAsync(images));
            Assert.Equal(CriuTransferState.Missing, (await criu1.WaitForLazyPagesAsync(images, TimeSpan.Zero)).State);
        }
        finally
        {
            await criu1.StopLazyDumpAsync(images);
            await criu2.StopLazyPagesAsync(images);
            await holder.CleanUpAsync(processes, ["h1", "h2"]);
            await lab.SshAsync("h1", $"rm -rf {images}");
            await lab.SshAsync("h2", $"rm -rf {images}");
        }
    }

    [LabFact]
    public async Task StreamedStopAndCopyMovesAProcessWith64MiBThroughAPageServer()
    {
        var holder = new MemoryHolder(lab, 64);
        using var h1 = lab.Connect("h1");
        using var h2 = lab.Connect("h2");
        var (criu1, criu2) = (new CriuHost(h1), new CriuHost(h2));
        var images = CriuImageDirectory.Parse("/run/migrationtools/images/streamed-" + Guid.NewGuid().ToString("N")[..12]);
        var processes = new List<(string, int)>();
        try
        {
            var process = await holder.StartAsync("h1", "h2");
            processes.Add(("h1", process.Pid));
            var before = await holder.FirstChecksumAsync("h1");
            var link = await HostLink.ResolveAsync(h1, SshDestination.Parse("h2"));

            var server = await criu2.StartPageServerAsync(images, link.Destination);
            Assert.Equal(CriuTransferState.Running, (await criu2.WaitForPageServerAsync(images, TimeSpan.Zero)).State);
            var clock = Stopwatch.StartNew();
            var dump = await criu1.DumpAsync(new CriuDumpRequest(process, images) { PageServer = server });
            var received = await criu2.WaitForPageServerAsync(images, Limit);
            var shipped = await CriuImageShipment.RelayAsync(h1, images, h2, images, new ProgressMeter(null), besidePages: true);
            var restored = await criu2.RestoreAsync(new CriuRestoreRequest(images));
            processes.Add(("h2", restored.Process.Pid));
            output.WriteLine(
                $"page server on {server}; dump {dump.Elapsed.TotalSeconds:0.000}s ({dump.ImageBytes} bytes left on h1), other images " +
                $"{shipped.Bytes} bytes, restore {restored.Elapsed.TotalSeconds:0.000}s, frozen to running {clock.Elapsed.TotalSeconds:0.000}s. {received.Detail}");

            Assert.Equal(CriuTransferState.Finished, received.State);
            Assert.True(dump.ImageBytes < 16 << 20, $"the dump left {dump.ImageBytes} bytes on h1: the pages did not go to the page server");
            Assert.Contains("pages-", await lab.SshCheckedAsync("h2", $"ls {images}"), StringComparison.Ordinal);
            Assert.Equal(before, await holder.ChecksumAsync("h2"));
        }
        finally
        {
            await criu1.StopLazyDumpAsync(images);
            await criu2.StopLazyPagesAsync(images);
            await holder.CleanUpAsync(processes, ["h1", "h2"]);
            await lab.SshAsync("h1", $"rm -rf {images}");
            await lab.SshAsync("h2", $"rm -rf {images}");
        }
    }

    [LabFact]
    public async Task APostCopyAbandonedBeforeTheRestoreLetsTheTreeRunOnAtTheSource()
    {
        var holder = new MemoryHolder(lab, 64);
        using var h1 = lab.Connect("h1");
        var criu1 = new CriuHost(h1);
        var images = CriuImageDirectory.Parse("/run/migrationtools/images/abandoned-" + Guid.NewGuid().ToString("N")[..12]);
        var processes = new List<(string, int)>();
        try
        {
            var process = await holder.StartAsync("h1");
            processes.Add(("h1", process.Pid));
            var before = await holder.FirstChecksumAsync("h1");
            var link = await HostLink.ResolveAsync(h1, SshDestination.Parse("h2"));
            await criu1.StartLazyDumpAsync(new CriuDumpRequest(process, images), link.Source);

            Assert.True(await criu1.StopLazyDumpAsync(images));

            var source = await criu1.WaitForLazyDumpAsync(images, Limit);
            output.WriteLine(source.Detail);
            Assert.Equal(CriuTransferState.Failed, source.State);
            Assert.DoesNotContain(await holder.StateAsync("h1", process.Pid), Stopped);
            Assert.Equal(before, await holder.ChecksumAsync("h1"));
            Assert.False(await criu1.StopLazyDumpAsync(images));
        }
        finally
        {
            await holder.CleanUpAsync(processes, ["h1"]);
            await lab.SshAsync("h1", $"rm -rf {images}");
        }
    }

    [LabFact]
    public async Task APreDumpOnAKernelWithoutDirtyMemoryTrackingFailsWithCriusReason()
    {
        var holder = new MemoryHolder(lab, 8);
        using var h1 = lab.Connect("h1");
        var criu1 = new CriuHost(h1);
        var images = CriuImageDirectory.Parse("/run/migrationtools/images/predump-" + Guid.NewGuid().ToString("N")[..12]);
        var processes = new List<(string, int)>();
        try
        {
            var process = await holder.StartAsync("h1");
            processes.Add(("h1", process.Pid));

            var error = await Assert.ThrowsAsync<CriuException>(() => criu1.PreDumpAsync(new CriuPreDumpRequest(process, images)));

            output.WriteLine(error.Message);
            Assert.Equal(CriuOperation.PreDump, error.Operation);
            Assert.Contains("criu pre-dump failed", error.Message, StringComparison.Ordinal);
            Assert.Contains("Tracking memory is not available", error.LogExcerpt, StringComparison.Ordinal);
            Assert.DoesNotContain(await holder.StateAsync("h1", process.Pid), Stopped);
        }
        finally
        {
            await holder.CleanUpAsync(processes, ["h1"]);
            await lab.SshAsync("h1", $"rm -rf {images}");
        }
    }

    [LabFact]
    public async Task APostCopyWhoseLazyPagesDaemonIsKilledEndsAndTheTreeRunsOnAtTheSourceWithItsMemory()
    {
        var holder = new MemoryHolder(lab, 128);
        using var h1 = lab.Connect("h1");
        using var h2 = lab.Connect("h2");
        var (criu1, criu2) = (new CriuHost(h1), new CriuHost(h2));
        var images = CriuImageDirectory.Parse("/run/migrationtools/images/broken-" + Guid.NewGuid().ToString("N")[..12]);
        var processes = new List<(string, int)>();
        try
        {
            var process = await holder.StartAsync("h1", "h2");
            processes.Add(("h1", process.Pid));
            var before = await holder.FirstChecksumAsync("h1");
            var link = await HostLink.ResolveAsync(h1, SshDestination.Parse("h2"));

            // h1's pages leave at 100 Mbit/s (about 10 s for 128 MiB), so the daemon is surely killed mid-transfer.
            await lab.SshCheckedAsync("h1", "tc qdisc add dev eth0 root tbf rate 100mbit burst 64kb latency 400ms");

            var dump = await criu1.StartLazyDumpAsync(new CriuDumpRequest(process, images), link.Source);
            await CriuImageShipment.RelayAsync(h1, images, h2, images, new ProgressMeter(null));
            var restored = await criu2.RestoreLazilyAsync(new CriuRestoreRequest(images), dump.Endpoint);
            processes.Add(("h2", restored.Process.Pid));
            var whileMoving = await criu2.WaitForLazyPagesAsync(images, TimeSpan.Zero);
            Assert.True(await criu2.StopLazyPagesAsync(images), "the lazy-pages daemon had already ended: " + whileMoving.Detail);

            var daemon = await criu2.WaitForLazyPagesAsync(images, Limit);
            var source = await criu1.WaitForLazyDumpAsync(images, Limit);
            output.WriteLine($"{daemon.Detail}\n{source.Detail}");

            Assert.Equal(CriuTransferState.Running, whileMoving.State);
            Assert.Equal(CriuTransferState.Failed, daemon.State);
            // CRIU on the source sees the daemon hang up: mostly it fails and resumes the tree, but now and then it takes
            // the hang-up for the end and leaves the tree stopped as after any dump (measured). Only the daemon's end
            // tells the two apart; either way the tree's memory never left h1, so resuming it loses nothing.
            Assert.Contains(source.State, new[] { CriuTransferState.Failed, CriuTransferState.Finished });
            if (source.State == CriuTransferState.Finished)
            {
                Assert.Contains(await holder.StateAsync("h1", process.Pid), Stopped);
                await criu1.ResumeAsync(process);
            }
            else
            {
                Assert.Contains("exit status", source.Detail, StringComparison.Ordinal);
            }

            Assert.DoesNotContain(await holder.StateAsync("h1", process.Pid), Stopped);
            Assert.Equal(before, await holder.ChecksumAsync("h1"));
        }
        finally
        {
            await lab.SshAsync("h1", "tc qdisc del dev eth0 root");
            await criu1.StopLazyDumpAsync(images);
            await criu2.StopLazyPagesAsync(images);
            await holder.CleanUpAsync(processes, ["h1", "h2"]);
            await lab.SshAsync("h1", $"rm -rf {images}");
            await lab.SshAsync("h2", $"rm -rf {images}");
        }
    }
}
