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
    public async Task APostCopyOverTheRelayPullsThePagesThroughTheControllerAndTheMemoryArrivesByteForByteWithNoForwardLeft()
    {
        await using var m = MemoryWorkload.Lab(lab, 128);
        var before = await MemoryWorkload.StartAsync(m, lab);

        // Relayed data (the lab's default path): the pages go through the controller too, and Auto picks post-copy.
        var plan = await m.Engine.TestAsync(m.Request(MigrationLab.LabSettings));
        output.WriteLine($"plan: {plan.MemoryTransfer}: {plan.MemoryTransferReason}");
        Assert.Equal(MemoryTransfer.PostCopy, plan.MemoryTransfer);
        Assert.Contains("relayed through the controller", plan.MemoryTransferReason, StringComparison.Ordinal);

        var begun = await m.Engine.BeginAsync(m.Request(MigrationLab.LabSettings));
        var forwards = new ForwardsWhen("Pulling the rest", begun.Id, output);
        var switched = await m.Engine.SwitchAsync(begun.Id, forwards);

        output.WriteLine($"downtime {switched.Downtime}, parts {switched.DowntimeParts}");
        Assert.Equal(MigrationState.Switched, switched.State);
        Assert.Equal(MemoryTransfer.PostCopy, switched.DowntimeParts!.MemoryTransfer);
        Assert.NotNull(switched.DowntimeParts.PostCopy);
        // The daemon pulled from a port on h2's loopback that the controller relays to h1's lazy dump.
        var lazyPagesLog = File.ReadAllText(Path.Combine(m.Engine.Journal.LogDirectoryOf(switched.Id), "lazy-pages.log"));
        Assert.Contains("UFFD transferred pages", lazyPagesLog, StringComparison.Ordinal);
        Assert.Equal(2, forwards.Seen.Count);
        Assert.Empty(RelayProcesses(begun.Id));
        Assert.All(forwards.Seen, pid => Assert.False(Alive(pid), $"forwarding ssh {pid} still runs"));
        Assert.Equal(WorkloadState.Running, (await m.StatusAsync("h2")).State);
        Assert.Equal(before, await MemoryWorkload.ChecksumAsync(m, lab, "h2"));

        var completed = await m.Engine.CompleteAsync(switched.Id);
        Assert.Equal(MigrationState.Completed, completed.State);
        Assert.Equal("h2", await m.RunningOnAsync());
    }

    [LabFact]
    public async Task AStreamedStopAndCopyOverTheRelaySendsThePagesThroughTheControllerAndTheMemoryArrivesByteForByteWithNoForwardLeft()
    {
        await using var m = MemoryWorkload.Lab(lab, 128);
        var before = await MemoryWorkload.StartAsync(m, lab);
        var settings = MigrationLab.LabSettings with { MemoryTransfer = MemoryTransfer.StopAndCopy };

        var plan = await m.Engine.TestAsync(m.Request(settings));
        output.WriteLine($"plan: {plan.MemoryTransfer}: {plan.MemoryTransferReason}");
        Assert.Contains("relayed through the controller", plan.MemoryTransferReason, StringComparison.Ordinal);

        var begun = await m.Engine.BeginAsync(m.Request(settings));
        var forwards = new ForwardsWhen("Sending the checkpoint", begun.Id, output);
        var switched = await m.Engine.SwitchAsync(begun.Id, forwards);

        output.WriteLine($"downtime {switched.Downtime}, parts {switched.DowntimeParts}");
        Assert.Equal(MigrationState.Switched, switched.State);
        Assert.Equal(MemoryTransfer.StopAndCopy, switched.DowntimeParts!.MemoryTransfer);
        var logs = m.Engine.Journal.LogDirectoryOf(switched.Id);
        Assert.Contains("page-xfer: Disconnect from the page server", File.ReadAllText(Path.Combine(logs, "dump.log")), StringComparison.Ordinal);
        var images = $"{CriuImageDirectory.DefaultParent}/{m.Service.Name}-{switched.Id}";
        var pagesOnSource = long.Parse(
            (await lab.SshCheckedAsync("h1", $"cat {images}/pages-*.img 2>/dev/null | wc -c")).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(pagesOnSource < 1 << 20, $"{pagesOnSource} bytes of pages were written on h1");
        Assert.Equal(2, forwards.Seen.Count);
        Assert.Empty(RelayProcesses(begun.Id));
        Assert.All(forwards.Seen, pid => Assert.False(Alive(pid), $"forwarding ssh {pid} still runs"));
        Assert.Equal(before, await MemoryWorkload.ChecksumAsync(m, lab, "h2"));
        Assert.Equal("h2", await m.RunningOnAsync());
    }

    [LabFact]
    public async Task APostCopyAskedForWithEstablishedConnectionsKeptIsRefusedByThePreflightWithTheReasonAndChangesNothing()
    {
        await using var m = MemoryWorkload.Lab(lab, 16);
        await MemoryWorkload.StartAsync(m, lab);
        var settings = MigrationLab.LabSettings with { MemoryTransfer = MemoryTransfer.PostCopy, Checkpoint = new CriuOptions { TcpEstablished = true } };

        var plan = await m.Engine.TestAsync(m.Request(settings));

        var check = Assert.Single(plan.Checks, c => c.Name == MigrationChecks.MemoryTransfer);
        output.WriteLine(check.Message);
        Assert.False(check.Passed);
        Assert.Contains("established connections", check.Message, StringComparison.Ordinal);
        Assert.False(plan.Passed);
        await Assert.ThrowsAsync<MigrationRefusedException>(() => m.Engine.BeginAsync(m.Request(settings)));
        Assert.Empty(m.Engine.Journal.List().Records);
        Assert.Equal("h1", await m.RunningOnAsync());
    }

    [LabFact]
    public async Task ARelayedPostCopyWhoseForwardIsCutMidPullEndsWithTheWorkloadRunningOnTheSourceWithItsMemoryAndTheMigrationSynced()
    {
        await using var m = MemoryWorkload.Lab(lab, 1024);
        var before = await MemoryWorkload.StartAsync(m, lab);
        var begun = await m.Engine.BeginAsync(m.Request(MigrationLab.LabSettings with { MemoryTransfer = MemoryTransfer.PostCopy }));

        // As the destination starts pulling the rest of the pages, the controller's forwarding processes are killed.
        var cut = new ForwardsWhen("Pulling the rest", begun.Id, output, kill: true);
        var failure = await Assert.ThrowsAsync<MigrationFailedException>(() => m.Engine.SwitchAsync(begun.Id, cut));

        output.WriteLine(failure.Message);
        Assert.Equal(2, cut.Seen.Count);
        Assert.True(failure.RolledBack);
        var record = m.Engine.Get(begun.Id);
        Assert.Equal(MigrationState.Synced, record.State);
        Assert.Null(record.MemoryMove);
        Assert.Empty(RelayProcesses(begun.Id));
        Assert.Equal("h1", await m.RunningOnAsync());
        Assert.Equal(before, await MemoryWorkload.ChecksumAsync(m, lab, "h1"));

        var aborted = await m.Engine.AbortAsync(begun.Id);
        Assert.Equal(MigrationState.Aborted, aborted.State);
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

    public static TheoryData<string> RelayedPostCopySteps() => ["Sending the checkpoint", "Restoring"];

    [LabTheory]
    [MemberData(nameof(RelayedPostCopySteps))]
    public async Task AControllerKilledAtAStepOfARelayedPostCopySwitchLeavesASwitchRunAgainToFinishItThroughARelayOfItsOwn(string step)
    {
        await using var m = MemoryWorkload.Lab(lab, 128);
        var before = await MemoryWorkload.StartAsync(m, lab);
        var begun = await m.Engine.BeginAsync(m.Request(MigrationLab.LabSettings with { MemoryTransfer = MemoryTransfer.PostCopy }));

        var run = await ControllerProcess.RunAndKillAsync(m, lab, "switch", begun.Id.Value, ControllerProcess.At("Switch", step));
        Assert.True(run.Killed, $"the switch ended before '{step}'");

        var switched = await m.Engine.SwitchAsync(begun.Id);

        Assert.Equal(MigrationState.Switched, switched.State);
        Assert.Empty(RelayProcesses(begun.Id));
        Assert.Equal("h2", await m.RunningOnAsync());
        Assert.Equal(before, await MemoryWorkload.ChecksumAsync(m, lab, "h2"));
    }

    [LabFact]
    public async Task AControllerKilledWhileARelayedPostCopyPullsTakesItsRelayAlongAndTheSwitchRunAgainRollsBackWithTheMemoryWhole()
    {
        await using var m = MemoryWorkload.Lab(lab, 512);
        var before = await MemoryWorkload.StartAsync(m, lab);
        var begun = await m.Engine.BeginAsync(m.Request(MigrationLab.LabSettings with { MemoryTransfer = MemoryTransfer.PostCopy }));

        var run = await ControllerProcess.RunAndKillAsync(m, lab, "switch", begun.Id.Value, ControllerProcess.At("Switch", "Pulling the rest"));
        Assert.True(run.Killed, "the switch ended before it pulled the pages");
        Assert.Empty(RelayProcesses(begun.Id));

        // The pages went through the dead controller: the pull broke off with it, and the source takes the workload back.
        var failure = await Assert.ThrowsAsync<MigrationFailedException>(() => m.Engine.SwitchAsync(begun.Id));

        output.WriteLine(failure.Message);
        Assert.True(failure.RolledBack);
        Assert.Equal(MigrationState.Synced, m.Engine.Get(begun.Id).State);
        Assert.Equal("h1", await m.RunningOnAsync());
        Assert.Equal(before, await MemoryWorkload.ChecksumAsync(m, lab, "h1"));
    }

    /// <summary>
    /// The controller's processes that hold this migration's page relay (their command line names its socket,
    /// <c>pf-ID-…</c>), by PID.
    /// </summary>
    private static List<int> RelayProcesses(MigrationId id)
    {
        var found = new List<int>();
        foreach (var directory in Directory.GetDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out var pid))
            {
                continue;
            }

            try
            {
                var line = File.ReadAllText(Path.Combine(directory, "cmdline")).Replace('\0', ' ');
                if (line.StartsWith("ssh ", StringComparison.Ordinal) && line.Contains($"/pf-{id.Value}-", StringComparison.Ordinal))
                {
                    found.Add(pid);
                }
            }
            catch (IOException)
            {
                // Ended meanwhile.
            }
            catch (UnauthorizedAccessException)
            {
                // Not ours to read.
            }
        }

        return found;
    }

    private static bool Alive(int pid)
    {
        try
        {
            var line = File.ReadAllText($"/proc/{pid}/cmdline");
            return line.Length > 0 && !File.ReadAllText($"/proc/{pid}/stat").Contains(") Z ", StringComparison.Ordinal);
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>
    /// Notes the controller's forwarding processes of the migration when the switch reports <paramref name="activity"/>,
    /// and with <paramref name="kill"/> kills them there (the relay is cut).
    /// </summary>
    private sealed class ForwardsWhen(string activity, MigrationId id, ITestOutputHelper output, bool kill = false) : IProgress<MigrationProgress>
    {
        public List<int> Seen { get; } = [];

        public void Report(MigrationProgress value)
        {
            if (Seen.Count > 0 || !value.Activity.StartsWith(activity, StringComparison.Ordinal))
            {
                return;
            }

            // The relay of a post-copy opens while the images travel: give it the time its handshakes take.
            for (var i = 0; i < 100 && RelayProcesses(id).Count < 2; i++)
            {
                Thread.Sleep(50);
            }

            Seen.AddRange(RelayProcesses(id));
            output.WriteLine($"forwarding processes at '{activity}': {string.Join(", ", Seen)}");
            if (kill)
            {
                foreach (var pid in Seen)
                {
                    System.Diagnostics.Process.GetProcessById(pid).Kill();
                }
            }
        }
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
                "for p in /proc/[0-9]*; do case $(tr '\\000' ' ' 2>/dev/null < $p/cmdline) in " +
                $"'criu lazy-pages '*'/{workload}-'*) kill -KILL ${{p#/proc/}} && echo ${{p#/proc/}};; esac; done; true").GetAwaiter().GetResult();
            output.WriteLine($"killed lazy-pages: {killed.Trim()}");
            Killed = killed.Trim().Length > 0;
        }
    }
}
