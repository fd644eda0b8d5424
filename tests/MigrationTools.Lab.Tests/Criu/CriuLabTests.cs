using System.Diagnostics;
using MigrationTools.Engine.Criu;
using MigrationTools.Engine.Preflight;
using MigrationTools.Engine.Remote;
using MigrationTools.Engine.Transfer;
using MigrationTools.Engine.Workloads;
using MigrationTools.Engine.Zfs;
using MigrationTools.Lab.Tests.Lab;
using MigrationTools.Lab.Tests.Workloads;
using Xunit.Abstractions;

namespace MigrationTools.Lab.Tests.Criu;

/// <summary>CRIU through the engine on the lab: preflight, freeze and undo, and a full move of the counter service.</summary>
[Collection(LabCollection.Name)]
public sealed class CriuLabTests(LabFixture lab, ITestOutputHelper output)
{
    [LabFact]
    public async Task PreflightFindsCriu42WithPostCopyWithoutPreDumpAndCompatibleCpus()
    {
        using var h1 = lab.Connect("h1");
        using var h2 = lab.Connect("h2");

        var preflight = await CriuPreflight.RunAsync(new CriuHost(h1), new CriuHost(h2));

        foreach (var check in preflight.Checks)
        {
            output.WriteLine($"{check.Target} {check.Name} {(check.Passed ? "pass" : "FAIL")}: {check.Message}");
        }

        Assert.True(preflight.Passed, new PreflightReport(preflight.Checks).DescribeFailures());
        foreach (var host in new[] { preflight.Source, preflight.Target })
        {
            Assert.Equal(4, host.Version!.Major);
            Assert.Equal(2, host.Version.Minor);
            Assert.True(host.Kernel!.RefusesPassCredOnInetSockets);
            Assert.True(host.CheckPassed);
            Assert.False(host.CanPreDump);
            Assert.Contains("mem_dirty_track", host.PreCopyBlock, StringComparison.Ordinal);

            // lab.sh up raises fs.pipe-max-size to what CRIU's page server needs, since the lab's root lacks CAP_SYS_RESOURCE.
            Assert.True(host.CanPostCopy, host.PostCopyBlock);
        }

        Assert.Null(preflight.PostCopyBlock);
        Assert.NotNull(preflight.PreCopyBlock);

        Assert.False(preflight.CanPreDump);
        Assert.True(preflight.Cpu.Verified);
        Assert.True(preflight.Cpu.Compatible);
        Assert.Equal(["CriuVersion", "CriuCheck", "CriuPreDump", "CriuPostCopy", "CriuVersion", "CriuCheck", "CriuPreDump", "CriuPostCopy", "CriuCpuCompatible"],
            preflight.Checks.Select(c => c.Name));
        Assert.Equal(new CriuVersion(4, 2, 1), preflight.Source.Version);
    }

    [LabFact]
    public async Task ADumpThatLeavesTheTreeStoppedFreezesItAndResumeLetsItCountOn()
    {
        var service = new CounterService(lab);
        using var h1 = lab.Connect("h1");
        var runtime = new WorkloadRuntime(h1, service.Paths);
        var criu = new CriuHost(h1);
        var images = CriuImageDirectory.ForWorkload(service.Name);
        try
        {
            await service.CreateDatasetAsync("h1");
            var process = await runtime.StartAsync(service.Manifest);
            var before = await service.WaitForServiceAsync();

            var dump = await criu.DumpAsync(new CriuDumpRequest(process, images) { CarriedFiles = [service.Paths.OutputLog(service.Name)] });

            Assert.True(dump.LeftStopped);
            Assert.True(dump.ImageBytes > 1 << 20, $"the images are only {dump.ImageBytes} bytes");
            Assert.Equal(new WorkloadStatus(service.Name, WorkloadState.Frozen, process), await runtime.GetStatusAsync(service.Name));
            var frozenAt = await service.LoggedValuesAsync("h1");
            await Task.Delay(700);
            Assert.Equal(frozenAt, await service.LoggedValuesAsync("h1"));
            Assert.Contains("Dumping finished successfully", await criu.ReadLogAsync(images, CriuOperation.Dump), StringComparison.Ordinal);
            Assert.Contains("carried-files.tar", await lab.SshCheckedAsync("h1", $"ls {images}"), StringComparison.Ordinal);
            Assert.Equal("700", (await lab.SshCheckedAsync("h1", $"stat -c %a {images}")).Trim());

            Assert.Equal(1, await criu.ResumeAsync(process));

            Assert.Equal(WorkloadState.Running, (await runtime.GetStatusAsync(service.Name)).State);
            var after = await service.WaitForServiceAsync();
            Assert.Equal(before.Token, after.Token);
            Assert.True(after.Counter >= before.Counter);
            await Task.Delay(500);
            Assert.True(await service.LoggedValuesAsync("h1") > frozenAt, "the resumed service does not count on");

            // A PID whose start time does not match is never dumped.
            var stranger = await Assert.ThrowsAsync<CriuException>(() =>
                criu.DumpAsync(new CriuDumpRequest(process with { StartTime = process.StartTime + 1 }, images)));
            Assert.Equal(CriuOperation.Dump, stranger.Operation);
            Assert.Contains("not running", stranger.Message, StringComparison.Ordinal);
        }
        finally
        {
            await service.CleanUpAsync(images.Path);
        }
    }

    [LabFact]
    public async Task TheCounterServiceMovesFromH1ToH2AndCountsOn()
    {
        var service = new CounterService(lab);
        using var h1 = lab.Connect("h1");
        using var h2 = lab.Connect("h2");
        var (zfs1, zfs2) = (new ZfsHost(h1), new ZfsHost(h2));
        var (runtime1, runtime2) = (new WorkloadRuntime(h1, service.Paths), new WorkloadRuntime(h2, service.Paths));
        var (criu1, criu2) = (new CriuHost(h1), new CriuHost(h2));
        var images = CriuImageDirectory.ForWorkload(service.Name);
        CriuRestore? restored = null;
        try
        {
            await service.CreateDatasetAsync("h1");
            await new WorkloadCatalog(h1, service.Paths).RegisterAsync(service.Manifest);
            await new WorkloadCatalog(h2, service.Paths).RegisterAsync(service.Manifest);
            var process = await runtime1.StartAsync(service.Manifest);
            var first = await service.WaitForServiceAsync();
            var plan = await zfs1.PlanTransferToAsync(zfs2);

            // While it runs: a full copy, read-only on h2 so that it cannot diverge.
            var one = service.Dataset.Snapshot("mt-1");
            await zfs1.CreateSnapshotAsync(one);
            await RelayTransfer.RunAsync(h1, ZfsSendCommand.Create(ZfsSendRequest.Full(one, false), plan),
                h2, ZfsReceiveCommand.Create(service.Dataset, plan), new ProgressMeter(null));
            await zfs2.SetReadOnlyAsync(service.Dataset, true);

            // Switch: freeze, final delta and images, then restore.
            var beforeFreeze = await service.ReadAsync();
            var clock = Stopwatch.StartNew();
            var dump = await criu1.DumpAsync(new CriuDumpRequest(process, images) { CarriedFiles = [service.Paths.OutputLog(service.Name)] });
            var two = service.Dataset.Snapshot("mt-2");
            await zfs1.CreateSnapshotAsync(two);
            var delta = await RelayTransfer.RunAsync(h1, ZfsSendCommand.Create(ZfsSendRequest.Incremental(one, two, false), plan),
                h2, ZfsReceiveCommand.Create(service.Dataset, plan, ZfsReceiveMode.OwnedCopy), new ProgressMeter(null));
            await zfs2.SettleReceivedCopyAsync(service.Dataset, writable: true, [service.Dataset], [two]);
            var shipped = await CriuImageShipment.RelayAsync(h1, images, h2, images, new ProgressMeter(null));
            var readyAt = clock.Elapsed;

            // Each host has a network of its own: the restore on h2 binds the service's port while the frozen tree still
            // holds it on h1, and only h2 answers.
            Assert.Equal(0, (await lab.SshAsync("h1", $"test -e /proc/{process.Pid}")).ExitCode);
            restored = await criu2.RestoreAsync(CriuRestoreRequest.For(dump));
            await runtime2.AdoptAsync(service.Name, restored.Process);
            var restoredAt = clock.Elapsed;
            var moved = await service.WaitForServiceAsync();
            Assert.Equal(0, (await lab.SshAsync("h1", $"test -e /proc/{process.Pid}")).ExitCode);
            Assert.Equal(WorkloadStopResult.Killed, await runtime1.KillAsync(service.Name));
            output.WriteLine(
                $"dump {dump.Elapsed.TotalSeconds:0.000}s ({dump.ImageBytes} bytes), delta {delta.Bytes} bytes, images {shipped.Bytes} bytes in " +
                $"{shipped.Elapsed.TotalSeconds:0.000}s; ready to restore after {readyAt.TotalSeconds:0.000}s, restore " +
                $"{restored.Elapsed.TotalSeconds:0.000}s; frozen to restored on h2: {restoredAt.TotalSeconds:0.000}s");

            Assert.Equal("h2", moved.Hostname);
            Assert.Equal(first.Token, moved.Token);
            Assert.True(moved.Counter >= beforeFreeze.Counter, $"the counter went back from {beforeFreeze.Counter} to {moved.Counter}");
            Assert.Equal(new WorkloadStatus(service.Name, WorkloadState.Running, restored.Process), await runtime2.GetStatusAsync(service.Name));
            Assert.Equal(WorkloadState.Stopped, (await runtime1.GetStatusAsync(service.Name)).State);
            Assert.Equal(1, (await lab.SshAsync("h1", $"test -e /proc/{process.Pid}")).ExitCode);
            Assert.Equal($"NSpid:\t{restored.Process.Pid}\t1", (await lab.SshCheckedAsync("h2", $"grep NSpid /proc/{restored.Process.Pid}/status")).Trim());

            await Task.Delay(500);
            var later = await service.ReadAsync();
            Assert.True(later.Counter > moved.Counter, "the restored service does not count on");
            var values = (await lab.SshCheckedAsync("h2", $"cat {service.DataDirectory}/counter.log"))
                .Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(long.Parse).ToArray();
            Assert.Equal(Enumerable.Range(1, values.Length).Select(n => (long)n), values);

            Assert.Equal(WorkloadStopResult.Killed, await runtime2.StopAsync(service.Name, TimeSpan.FromSeconds(1)));
            Assert.True(await criu1.RemoveImagesAsync(images));
            Assert.True(await criu2.RemoveImagesAsync(images));
            Assert.False(await criu2.RemoveImagesAsync(images));
        }
        finally
        {
            if (restored is not null)
            {
                try
                {
                    await runtime2.AdoptAsync(service.Name, restored.Process);
                }
                catch (RemoteException)
                {
                    // It already ended.
                }
            }

            await service.CleanUpAsync(images.Path);
        }
    }

    [LabFact]
    public async Task OnceTheFrozenSourceIsKilledUndoIsARestoreOfItsOwnImages()
    {
        var service = new CounterService(lab);
        using var h1 = lab.Connect("h1");
        var runtime = new WorkloadRuntime(h1, service.Paths);
        var criu = new CriuHost(h1);
        var images = CriuImageDirectory.ForWorkload(service.Name);
        try
        {
            await service.CreateDatasetAsync("h1");
            var process = await runtime.StartAsync(service.Manifest);
            var before = await service.WaitForServiceAsync();
            var dump = await criu.DumpAsync(new CriuDumpRequest(process, images) { CarriedFiles = [service.Paths.OutputLog(service.Name)] });
            Assert.Equal(WorkloadStopResult.Killed, await runtime.KillAsync(service.Name));
            Assert.Equal(WorkloadState.Stopped, (await runtime.GetStatusAsync(service.Name)).State);

            var restored = await criu.RestoreAsync(CriuRestoreRequest.For(dump));
            await runtime.AdoptAsync(service.Name, restored.Process);

            var after = await service.WaitForServiceAsync();
            Assert.Equal(before.Token, after.Token);
            Assert.Equal("h1", after.Hostname);
            Assert.NotEqual(process, restored.Process);
            Assert.Equal(new WorkloadStatus(service.Name, WorkloadState.Running, restored.Process), await runtime.GetStatusAsync(service.Name));
        }
        finally
        {
            await service.CleanUpAsync(images.Path);
        }
    }

    [LabFact]
    public async Task AFailedRestoreQuotesTheLogAndMissingImagesAreNamed()
    {
        using var h2 = lab.Connect("h2");
        var criu = new CriuHost(h2);
        var images = CriuImageDirectory.Parse("/run/mt-criu-" + Guid.NewGuid().ToString("N")[..12] + "/images");
        try
        {
            var missing = await Assert.ThrowsAsync<CriuException>(() => criu.RestoreAsync(new CriuRestoreRequest(images)));
            Assert.Contains("there are no images in " + images.Path, missing.Message, StringComparison.Ordinal);

            // An inventory alone is not a checkpoint: criu itself fails, and its log is quoted.
            await lab.SshCheckedAsync("h2", $"mkdir -p {images} && : > {images}/inventory.img");
            var failed = await Assert.ThrowsAsync<CriuException>(() => criu.RestoreAsync(new CriuRestoreRequest(images)));
            output.WriteLine(failed.Message);
            Assert.Equal(CriuOperation.Restore, failed.Operation);
            Assert.NotEqual(0, failed.ExitCode);
            Assert.Contains("Error", failed.LogExcerpt, StringComparison.Ordinal);
            Assert.Contains(images.RestoreLog, failed.Message, StringComparison.Ordinal);
        }
        finally
        {
            await lab.SshAsync("h2", $"rm -rf {images.Parent}");
        }
    }
}
