using MigrationTools.Engine.Transfer;

namespace MigrationTools.Engine.Tests.Transfer;

public sealed class ProgressMeterTests
{
    private sealed class Recorder : IProgress<TransferProgress>
    {
        public List<TransferProgress> Reports { get; } = [];

        public void Report(TransferProgress value) => Reports.Add(value);
    }

    private sealed class FakeClock
    {
        public TimeSpan Now { get; set; }

        public TimeSpan Read() => Now;
    }

    [Fact]
    public void ReportsAreThrottledToTheInterval()
    {
        var clock = new FakeClock();
        var recorder = new Recorder();
        var meter = new ProgressMeter(recorder, 1000, interval: TimeSpan.FromSeconds(1), clock: clock.Read);

        for (var i = 0; i < 11; i++)
        {
            clock.Now += TimeSpan.FromMilliseconds(100);
            meter.Add(10);
        }

        // At 0.1 s (first, nothing reported before) and at 1.1 s.
        Assert.Equal([10L, 110L], recorder.Reports.Select(r => r.Bytes));
        Assert.Equal(110, meter.Bytes);
    }

    [Fact]
    public void RateAndEtaFollowTheRecentRate()
    {
        var clock = new FakeClock();
        var recorder = new Recorder();
        var meter = new ProgressMeter(recorder, expectedBytes: 10_000, interval: TimeSpan.Zero, clock: clock.Read);

        for (var second = 1; second <= 10; second++)
        {
            clock.Now = TimeSpan.FromSeconds(second);
            meter.Add(second <= 5 ? 100 : 500);
        }

        var last = recorder.Reports[^1];
        Assert.Equal(3_000, last.Bytes);
        // The window holds only the last seconds, all at 500 bytes/s, not the 300 bytes/s overall average.
        Assert.Equal(500, last.BytesPerSecond, precision: 6);
        Assert.Equal(TimeSpan.FromSeconds(14), last.Eta);
        Assert.Equal(30, last.PercentComplete);
        Assert.False(last.IsComplete);
    }

    [Fact]
    public void CompleteAlwaysReportsWithTheAverageRate()
    {
        var clock = new FakeClock();
        var recorder = new Recorder();
        var meter = new ProgressMeter(recorder, expectedBytes: 4096, expectedIsEstimate: true, interval: TimeSpan.FromHours(1), clock: clock.Read);
        meter.Add(1000);
        clock.Now = TimeSpan.FromSeconds(4);
        meter.Add(3000);

        var final = meter.Complete();

        Assert.Same(final, recorder.Reports[^1]);
        Assert.True(final.IsComplete);
        Assert.True(final.ExpectedIsEstimate);
        Assert.Equal(4000, final.Bytes);
        Assert.Equal(1000, final.BytesPerSecond, precision: 6);
        Assert.Equal(TimeSpan.Zero, final.Eta);
        Assert.Equal(100, final.PercentComplete);
    }

    [Fact]
    public void UnknownTotalHasNoEtaNorPercentage()
    {
        var progress = new TransferProgress(500, null, false, TimeSpan.FromSeconds(1), 500, false);

        Assert.Null(progress.Eta);
        Assert.Null(progress.PercentComplete);
    }

    [Fact]
    public void NegativeCountsAreRefused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ProgressMeter(null, -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ProgressMeter(null).Add(-5));
    }
}
