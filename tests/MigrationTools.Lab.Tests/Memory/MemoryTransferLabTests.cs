using MigrationTools.Engine.Criu;
using MigrationTools.Engine.Migrations;
using MigrationTools.Engine.Transfer;
using MigrationTools.Engine.Workloads;
using MigrationTools.Lab.Tests.Lab;
using MigrationTools.Lab.Tests.Migrations;
using Xunit.Abstractions;

namespace MigrationTools.Lab.Tests.Memory;

/// <summary>
/// Live switches of a workload holding incompressible memory, by each way of moving it, through the engine: the memory
/// arrives byte for byte, and a post-copy that breaks off leaves the workload whole on the source.
/// </summary>
[Collection(LabCollection.Name)]
public sealed class MemoryTransferLabTests(LabFixture lab, ITestOutputHelper output)
{
    private static MigrationSettings Settings(MemoryTransfer method) =>
        MigrationLab.LabSettings with { Path = TransferPath.Direct, MemoryTransfer = method };

    [LabFact]
    public async Task APostCopySwitchRestoresAtOnceAndTheMemoryArrivesByteForByte()
    {
        await using var m = MemoryWorkload.Lab(lab, 256);
        var before = await MemoryWorkload.StartAsync(m, lab);

        var plan = await m.Engine.TestAsync(m.Request(Settings(MemoryTransfer.Auto)));
        output.WriteLine($"plan: {plan.MemoryTransfer}: {plan.MemoryTransferReason}");
        Assert.Equal(MemoryTransfer.PostCopy, plan.MemoryTransfer);

        var progress = new ProgressLog();
        var switched = await m.Engine.MoveAsync(m.Request(Settings(MemoryTransfer.Auto)), new MoveOptions { ConvergedBytes = 0, MaxSyncRounds = 1 }, progress);

        output.WriteLine($"downtime {switched.Downtime}, parts {switched.DowntimeParts}");
        Assert.Equal(MigrationState.Switched, switched.State);
        Assert.Null(switched.MemoryMove);
        Assert.Equal(MemoryTransfer.PostCopy, switched.DowntimeParts!.MemoryTransfer);
        Assert.NotNull(switched.DowntimeParts.PostCopy);
        Assert.Contains(progress.Items, p => p.Activity.StartsWith("Pulling the rest", StringComparison.Ordinal));
        var lazyPagesLog = File.ReadAllText(Path.Combine(m.Engine.Journal.LogDirectoryOf(switched.Id), "lazy-pages.log"));
        Assert.Contains("UFFD transferred pages", lazyPagesLog, StringComparison.Ordinal);
        Assert.Equal(WorkloadState.Running, (await m.StatusAsync("h2")).State);
        // The source stays frozen after the last page, as after any live switch, until Complete.
        Assert.Equal(WorkloadState.Frozen, (await m.StatusAsync("h1")).State);
        Assert.Equal(before, await MemoryWorkload.ChecksumAsync(m, lab, "h2"));

        var completed = await m.Engine.CompleteAsync(switched.Id);
        Assert.Equal(MigrationState.Completed, completed.State);
        Assert.Equal("h2", await m.RunningOnAsync());
    }

    [LabFact]
    public async Task AStreamedStopAndCopyAskedForSendsThePagesToThePageServerAndTheMemoryArrivesByteForByte()
    {
        await using var m = MemoryWorkload.Lab(lab, 128);
        var before = await MemoryWorkload.StartAsync(m, lab);

        var switched = await m.Engine.MoveAsync(m.Request(Settings(MemoryTransfer.StopAndCopy)), new MoveOptions { ConvergedBytes = 0, MaxSyncRounds = 1 });

        output.WriteLine($"downtime {switched.Downtime}, parts {switched.DowntimeParts}");
        Assert.Equal(MigrationState.Switched, switched.State);
        Assert.Equal(MemoryTransfer.StopAndCopy, switched.DowntimeParts!.MemoryTransfer);
        Assert.Null(switched.DowntimeParts.PostCopy);
        // The pages went to the page server, not in the images: the bytes counted hold the memory once, not twice.
        Assert.True(switched.BytesTransferred > 128L << 20, $"only {switched.BytesTransferred} bytes counted");
        var logs = m.Engine.Journal.LogDirectoryOf(switched.Id);
        // The dump sent its pages to the destination's page server, and wrote none beside its other images.
        Assert.Contains("page-xfer: Disconnect from the page server", File.ReadAllText(Path.Combine(logs, "dump.log")), StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(logs, "page-server.log")), "the page server's log was not kept");
        var images = $"{CriuImageDirectory.DefaultParent}/{m.Service.Name}-{switched.Id}";
        var pagesOnSource = long.Parse(
            (await lab.SshCheckedAsync("h1", $"cat {images}/pages-*.img 2>/dev/null | wc -c")).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(pagesOnSource < 1 << 20, $"{pagesOnSource} bytes of pages were written on h1");
        Assert.Equal(before, await MemoryWorkload.ChecksumAsync(m, lab, "h2"));
        Assert.Equal("h2", await m.RunningOnAsync());
    }

    [LabFact]
    public async Task APostCopyAskedForOverTheRelayIsRefusedByThePreflightWithTheReasonAndChangesNothing()
    {
        await using var m = MemoryWorkload.Lab(lab, 16);
        await MemoryWorkload.StartAsync(m, lab);

        var plan = await m.Engine.TestAsync(m.Request(MigrationLab.LabSettings with { MemoryTransfer = MemoryTransfer.PostCopy }));

        var check = Assert.Single(plan.Checks, c => c.Name == MigrationChecks.MemoryTransfer);
        output.WriteLine(check.Message);
        Assert.False(check.Passed);
        Assert.Contains("-Direct", check.Message, StringComparison.Ordinal);
        Assert.False(plan.Passed);
        await Assert.ThrowsAsync<MigrationRefusedException>(() =>
            m.Engine.BeginAsync(m.Request(MigrationLab.LabSettings with { MemoryTransfer = MemoryTransfer.PostCopy })));
        Assert.Empty(m.Engine.Journal.List().Records);
        Assert.Equal("h1", await m.RunningOnAsync());
    }

    [LabFact]
    public async Task APostCopyCutMidwayEndsWithTheWorkloadRunningOnTheSourceWithItsMemoryAndTheMigrationSynced()
    {
        await using var m = MemoryWorkload.Lab(lab, 1024);
        var before = await MemoryWorkload.StartAsync(m, lab);
        var begun = await m.Engine.BeginAsync(m.Request(Settings(MemoryTransfer.PostCopy)));

        // As the destination starts pulling the rest of the pages, its lazy-pages daemon is killed: the pull breaks off.
        var cut = new CutWhenPulling(lab, m.Service.Name, output);
        var failure = await Assert.ThrowsAsync<MigrationFailedException>(() => m.Engine.SwitchAsync(begun.Id, cut));

        output.WriteLine(failure.Message);
        Assert.True(cut.Killed, "the lazy-pages daemon was not found running when the pull began");
        Assert.True(failure.RolledBack);
        var record = m.Engine.Get(begun.Id);
        Assert.Equal(MigrationState.Synced, record.State);
        Assert.Equal(WorkloadOwner.Source, record.Owner);
        Assert.Null(record.MemoryMove);
        Assert.Equal("h1", await m.RunningOnAsync());
        Assert.Equal(before, await MemoryWorkload.ChecksumAsync(m, lab, "h1"));

        var aborted = await m.Engine.AbortAsync(begun.Id);
        Assert.Equal(MigrationState.Aborted, aborted.State);
    }

    [LabFact]
    public async Task AControllerKilledWhileThePagesArePulledLeavesOneRunningCopyAndTheSwitchRunAgainCommits()
    {
        await using var m = MemoryWorkload.Lab(lab, 512);
        var before = await MemoryWorkload.StartAsync(m, lab);
        var begun = await m.Engine.BeginAsync(m.Request(Settings(MemoryTransfer.PostCopy)));

        var run = await ControllerProcess.RunAndKillAsync(m, lab, "switch", begun.Id.Value, ControllerProcess.At("Switch", "Pulling the rest"));
        output.WriteLine(string.Join(Environment.NewLine, run.Lines));
        Assert.True(run.Killed, "the switch ended before it pulled the pages");
        Assert.Equal(MigrationPhase.Switch, m.Engine.Get(begun.Id).ActivePhase);
        Assert.Equal(MemoryTransfer.PostCopy, m.Engine.Get(begun.Id).MemoryMove?.Method);

        var switched = await m.Engine.SwitchAsync(begun.Id);

        Assert.Equal(MigrationState.Switched, switched.State);
        Assert.Null(switched.MemoryMove);
        Assert.Equal("h2", await m.RunningOnAsync());
        Assert.Equal(WorkloadState.Frozen, (await m.StatusAsync("h1")).State);
        Assert.Equal(before, await MemoryWorkload.ChecksumAsync(m, lab, "h2"));
    }

    public static TheoryData<string> PostCopySteps() => ["Checkpointing", "Sending the checkpoint", "Restoring"];

    [LabTheory]
    [MemberData(nameof(PostCopySteps))]
    public async Task AControllerKilledAtAStepOfAPostCopySwitchLeavesASwitchRunAgainToFinishItWithTheMemoryWhole(string step)
    {
        await using var m = MemoryWorkload.Lab(lab, 128);
        var before = await MemoryWorkload.StartAsync(m, lab);
        var begun = await m.Engine.BeginAsync(m.Request(Settings(MemoryTransfer.PostCopy)));

        var run = await ControllerProcess.RunAndKillAsync(m, lab, "switch", begun.Id.Value, ControllerProcess.At("Switch", step));
        Assert.True(run.Killed, $"the switch ended before '{step}'");

        // Whatever the dead controller left (a lazy dump starting, serving, or pulled from), the switch run again ends
        // with one running copy, on h2, with the memory it had.
        var switched = await m.Engine.SwitchAsync(begun.Id);

        Assert.Equal(MigrationState.Switched, switched.State);
        Assert.Null(switched.MemoryMove);
        Assert.Equal("h2", await m.RunningOnAsync());
        Assert.Equal(before, await MemoryWorkload.ChecksumAsync(m, lab, "h2"));
    }

    /// <summary>
    /// Kills the lazy-pages daemon of this workload's switch on h2 (the criu process whose image directory is named after
    /// the workload) when the switch reports that it pulls the rest of the memory.
    /// </summary>
    private sealed class CutWhenPulling(LabFixture lab, WorkloadName workload, ITestOutputHelper output) : IProgress<MigrationProgress>
    {
        public bool Killed { get; private set; }

        public void Report(MigrationProgress value)
        {
            if (Killed || !value.Activity.StartsWith("Pulling the rest", StringComparison.Ordinal))
            {
                return;
            }

            // Synchronous on purpose: the switch waits for the pull only after this returns, so the cut lands first.
            var killed = lab.SshCheckedAsync("h2",
                "for p in /proc/[0-9]*; do case $(tr '\\000' ' ' < $p/cmdline 2>/dev/null) in " +
                $"'criu lazy-pages '*'/{workload}-'*) kill -KILL ${{p#/proc/}} && echo ${{p#/proc/}};; esac; done; true").GetAwaiter().GetResult();
            output.WriteLine($"killed lazy-pages: {killed.Trim()}");
            Killed = killed.Trim().Length > 0;
        }
    }
}
