using System.Management.Automation;
using MigrationTools.Engine.Transfer;
using MigrationTools.Infrastructure;

namespace MigrationTools.Module.Tests.Unit;

/// <summary>Progress bars: stable ids, throttled updates, always closed, and how transfers read.</summary>
public sealed class ProgressTests
{
    private TimeSpan _now;

    [Fact]
    public void TheActivityIdIsTheSameEveryTimeAndDiffersBetweenCommands()
    {
        string[] commands = ["Get-Workload", "Register-Workload", "Start-Workload", "Stop-Workload", "Unregister-Workload", "Move-Workload"];

        var ids = commands.Select(ProgressActivityId.For).ToArray();

        Assert.Equal(ids, commands.Select(ProgressActivityId.For));
        Assert.Equal(commands.Length, ids.Distinct().Count());
        Assert.All(ids, id => Assert.InRange(id, 0, int.MaxValue));
        Assert.Equal(ProgressActivityId.For("Get-Workload"), ProgressActivityId.For("get-workload"));
        // FNV-1a of "GET-WORKLOAD", fixed so a change of the hash (and of every bar's id) is a decision.
        Assert.Equal(1052851763, ProgressActivityId.For("Get-Workload"));
    }

    [Fact]
    public void TheThrottleDrawsTheFirstUpdateThenAtMostOnePerInterval()
    {
        var throttle = new ProgressThrottle(TimeSpan.FromMilliseconds(250), () => _now);

        var drawn = new List<bool>();
        foreach (var ms in new[] { 0, 100, 249, 250, 260, 499, 500, 2000 })
        {
            _now = TimeSpan.FromMilliseconds(ms);
            drawn.Add(throttle.ShouldDraw());
        }

        Assert.Equal([true, false, false, true, false, false, true, true], drawn);
    }

    [Fact]
    public void AReporterWritesThrottledUpdatesAndOneCompletedRecordWhateverHappens()
    {
        var records = new List<ProgressRecord>();
        var reporter = new ProgressReporter(records.Add, 7, "Sending", throttle: new ProgressThrottle(TimeSpan.FromSeconds(1), () => _now));

        for (var i = 0; i < 10; i++)
        {
            _now = TimeSpan.FromMilliseconds(i * 300);
            reporter.Report($"step {i}", i * 10);
        }

        reporter.Complete();
        reporter.Report("after the end");
        reporter.Dispose();

        // Updates at 0, 1.2, 2.4 s (the first after each full second), then the Completed record.
        Assert.Equal(4, records.Count);
        Assert.Equal(7, reporter.ActivityId);
        Assert.Equal("Sending", reporter.Activity);
    }

    [Fact]
    public void AForcedUpdateIsDrawnWithinTheIntervalAndCountsForTheThrottle()
    {
        var records = new List<ProgressRecord>();
        var reporter = new ProgressReporter(records.Add, 7, "Switching", throttle: new ProgressThrottle(TimeSpan.FromSeconds(1), () => _now));

        reporter.Report("Checkpointing");
        _now = TimeSpan.FromMilliseconds(100);
        reporter.Report("Restoring", force: true);
        _now = TimeSpan.FromMilliseconds(1050);
        reporter.Report("bytes");
        _now = TimeSpan.FromMilliseconds(1200);
        reporter.Report("bytes");

        // Drawn at 0 and 100 (forced); 1050 is within a second of the forced update; 1200 is not.
        Assert.Equal(3, records.Count);
    }

    [Fact]
    public void DisposingAReporterThatNeverReportedStillClosesIt()
    {
        var records = new List<ProgressRecord>();

        using (new ProgressReporter(records.Add, 1, "Reading workloads"))
        {
        }

        Assert.Single(records);
    }

    [Fact]
    public async Task ReportsFromSeveralWorkersAreWrittenOneAtATimeAndNoneAfterTheCompletedRecord()
    {
        var writing = 0;
        var overlap = false;
        var written = 0;
        var afterCompleted = 0;
        var completed = false;
        var reporter = new ProgressReporter(
            _ =>
            {
                overlap |= Interlocked.Increment(ref writing) > 1;
                Thread.Sleep(1);
                afterCompleted += Volatile.Read(ref completed) ? 1 : 0;
                written++;
                Interlocked.Decrement(ref writing);
            },
            1,
            "Reading workloads");

        var workers = Enumerable.Range(0, 4).Select(n => Task.Run(() =>
        {
            for (var i = 0; i < 50; i++)
            {
                reporter.Report($"host {n} answered", force: true);
            }
        })).ToArray();
        Assert.True(SpinWait.SpinUntil(() => Volatile.Read(ref written) > 0, TimeSpan.FromSeconds(10)));
        reporter.Complete();
        Volatile.Write(ref completed, true);
        await Task.WhenAll(workers);

        Assert.False(overlap);
        Assert.Equal(0, afterCompleted);
        Assert.InRange(written, 2, 4 * 50 + 1);
    }

    [Fact]
    public void AReporterIgnoresAStoppedPipelineWhenClosing()
    {
        var reporter = new ProgressReporter(_ => throw new PipelineStoppedException(), 1, "Reading workloads");

        reporter.Dispose();

        reporter.Dispose();
    }

    [Fact]
    public void ATransferWithAKnownTotalShowsBytesTotalRateAndTimeLeft()
    {
        var progress = new TransferProgress(1536L << 20, 4L << 30, false, TimeSpan.FromSeconds(12), 100 << 20, false);

        Assert.Equal("1.5 GiB of 4.0 GiB at 100.0 MiB/s", TransferProgressText.Describe(progress));
        Assert.Equal(37, TransferProgressText.PercentComplete(progress));
        Assert.Equal(26, TransferProgressText.SecondsRemaining(progress));
    }

    [Fact]
    public void AnEstimatedTotalSaysSoAndAnUnknownOneIsLeftOut()
    {
        var estimated = new TransferProgress(512, 2048, true, TimeSpan.FromSeconds(1), 512, false);
        var unknown = new TransferProgress(3L << 20, null, false, TimeSpan.FromSeconds(1), 0, false);

        Assert.Equal("512 B of about 2.0 KiB at 512 B/s", TransferProgressText.Describe(estimated));
        Assert.Equal("3.0 MiB at 0 B/s", TransferProgressText.Describe(unknown));
        Assert.Equal(-1, TransferProgressText.PercentComplete(unknown));
        Assert.Equal(-1, TransferProgressText.SecondsRemaining(unknown));
    }

    [Fact]
    public void ACompleteTransferShowsItsDurationAndAverageRate()
    {
        var done = new TransferProgress(4L << 30, 4L << 30, false, TimeSpan.FromSeconds(36.6), 110 << 20, true);

        Assert.Equal("4.0 GiB in 00:00:37 (110.0 MiB/s on average)", TransferProgressText.Describe(done));
        Assert.Equal(100, TransferProgressText.PercentComplete(done));
        Assert.Equal(0, TransferProgressText.SecondsRemaining(done));
    }
}
