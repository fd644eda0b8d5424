using MigrationTools.Engine.Draining;
using MigrationTools.Engine.Migrations;
using MigrationTools.Engine.Transfer;
using MigrationTools.Engine.Workloads;

namespace MigrationTools.Engine.Tests.Draining;

public sealed class DrainQueueTests
{
    private static MigrationRecord RecordOf(string workload) =>
        new(MigrationId.New(), WorkloadName.Parse(workload), "h1", "h2", CheckpointMode.Criu, DateTimeOffset.UnixEpoch);

    private static async Task Until(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out waiting");
            await Task.Delay(10);
        }
    }

    [Fact]
    public async Task NoMoreThanTheThrottleRunAtOnceAndEveryPieceRuns()
    {
        var queue = new DrainQueue(3, DrainOrder.AsGiven);
        var gate = new SemaphoreSlim(0);
        int running = 0, most = 0;
        for (var i = 0; i < 10; i++)
        {
            var name = "w" + i;
            queue.Add(new DrainWork(name, 100, async (_, ct) =>
            {
                var now = Interlocked.Increment(ref running);
                InterlockedMax(ref most, now);
                await gate.WaitAsync(ct);
                Interlocked.Decrement(ref running);
                return RecordOf(name);
            }));
        }

        queue.CompleteAdding();
        var recorder = new DrainRecorder();
        var run = queue.RunAsync(recorder);

        await Until(() => Volatile.Read(ref running) == 3);
        await Task.Delay(200);
        Assert.Equal(3, Volatile.Read(ref running));
        Assert.Equal(3, recorder.Started.Count);

        // One ended lets exactly one more start.
        gate.Release();
        await Until(() => recorder.Started.Count == 4);
        await Task.Delay(100);
        Assert.Equal(4, recorder.Started.Count);
        Assert.Equal(3, Volatile.Read(ref running));

        gate.Release(9);
        var summary = await run;
        Assert.Equal(3, most);
        Assert.Equal((10, 0, 0), (summary.Succeeded, summary.Failed, summary.NotStarted));
        Assert.Equal(10, recorder.Finished.Count);
        var last = recorder.Statuses.Last();
        Assert.Equal((0, 0, 10, 0), (last.Waiting, last.Running, last.Succeeded, last.Failed));
        Assert.Equal(1000, last.BytesTotal);
        Assert.Equal(1000, last.BytesDone);
    }

    [Theory]
    [InlineData(DrainOrder.SmallestFirst, "b c a")]
    [InlineData(DrainOrder.LargestFirst, "a c b")]
    [InlineData(DrainOrder.AsGiven, "a b c")]
    public async Task WaitingWorkStartsInTheOrderAsked(DrainOrder order, string expected)
    {
        var queue = new DrainQueue(1, order);
        foreach (var (name, bytes) in new[] { ("a", 500L), ("b", 10L), ("c", 200L) })
        {
            queue.Add(new DrainWork(name, bytes, (_, _) => Task.FromResult(RecordOf(name))));
        }

        queue.CompleteAdding();
        var recorder = new DrainRecorder();
        await queue.RunAsync(recorder);
        Assert.Equal(expected, string.Join(" ", recorder.Started));
    }

    [Fact]
    public async Task EqualEstimatesStartInTheOrderAdded()
    {
        var queue = new DrainQueue(1);
        foreach (var name in new[] { "x", "y", "z" })
        {
            queue.Add(new DrainWork(name, 7, (_, _) => Task.FromResult(RecordOf(name))));
        }

        queue.CompleteAdding();
        var recorder = new DrainRecorder();
        await queue.RunAsync(recorder);
        Assert.Equal("x y z", string.Join(" ", recorder.Started));
    }

    [Fact]
    public async Task AFailedPieceIsReportedAndTheOthersGoOn()
    {
        var queue = new DrainQueue(2, DrainOrder.AsGiven);
        var broken = new InvalidOperationException("health check failed");
        for (var i = 0; i < 5; i++)
        {
            var name = "w" + i;
            queue.Add(new DrainWork(name, 1, async (_, _) =>
            {
                await Task.Yield();
                return name == "w1" ? throw broken : RecordOf(name);
            }));
        }

        queue.CompleteAdding();
        var recorder = new DrainRecorder();
        var summary = await queue.RunAsync(recorder);

        Assert.Equal((4, 1, 0), (summary.Succeeded, summary.Failed, summary.NotStarted));
        var failed = Assert.Single(recorder.Failed);
        Assert.Equal("w1", failed.Subject);
        Assert.Same(broken, failed.Error);
        Assert.Equal("w0 w2 w3 w4", string.Join(" ", recorder.Finished.Order()));
    }

    [Fact]
    public async Task CancellingCancelsTheRunningAndStartsNoneOfTheWaiting()
    {
        var queue = new DrainQueue(2, DrainOrder.AsGiven);
        var cancelledInside = 0;
        for (var i = 0; i < 5; i++)
        {
            var name = "w" + i;
            queue.Add(new DrainWork(name, 1, async (_, ct) =>
            {
                try
                {
                    await Task.Delay(Timeout.Infinite, ct);
                }
                catch (OperationCanceledException)
                {
                    Interlocked.Increment(ref cancelledInside);
                    throw;
                }

                return RecordOf(name);
            }));
        }

        queue.CompleteAdding();
        var recorder = new DrainRecorder();
        using var cancel = new CancellationTokenSource();
        var run = queue.RunAsync(recorder, cancel.Token);
        await Until(() => recorder.Started.Count == 2);
        cancel.Cancel();
        var summary = await run.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal((0, 2, 3), (summary.Succeeded, summary.Failed, summary.NotStarted));
        Assert.Equal(2, cancelledInside);
        Assert.Equal("w0 w1", string.Join(" ", recorder.Started.Order()));
        Assert.All(recorder.Failed, f => Assert.IsAssignableFrom<OperationCanceledException>(f.Error));
        Assert.Empty(recorder.Finished);
        Assert.Equal(3, recorder.Statuses.Last().Waiting);
    }

    [Fact]
    public async Task WorkAddedWhileRunningRunsAndTheDrainEndsOnlyAfterAddingIsComplete()
    {
        var queue = new DrainQueue(2);
        var recorder = new DrainRecorder();
        var run = queue.RunAsync(recorder);
        queue.Add(new DrainWork("first", 1, (_, _) => Task.FromResult(RecordOf("first"))));
        await Until(() => recorder.Finished.Count == 1);
        Assert.False(run.IsCompleted);

        queue.Add(new DrainWork("second", 1, (_, _) => Task.FromResult(RecordOf("second"))));
        queue.CompleteAdding();
        var summary = await run.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(2, summary.Succeeded);
        Assert.Throws<InvalidOperationException>(() => queue.Add(new DrainWork("late", 1, (_, _) => Task.FromResult(RecordOf("late")))));
    }

    [Fact]
    public async Task ProgressIsForwardedAndCountedIntoTheTotals()
    {
        var queue = new DrainQueue(1);
        var id = MigrationId.New();
        queue.Add(new DrainWork("w", 1000, (progress, _) =>
        {
            progress.Report(new MigrationProgress(id, MigrationPhase.Begin, "copy a",
                new TransferProgress(400, 1000, true, TimeSpan.FromSeconds(1), 400, false)));
            progress.Report(new MigrationProgress(id, MigrationPhase.Begin, "copy a",
                new TransferProgress(600, 1000, true, TimeSpan.FromSeconds(2), 300, true)));
            progress.Report(new MigrationProgress(id, MigrationPhase.Sync, "copy b",
                new TransferProgress(100, 1000, true, TimeSpan.FromSeconds(1), 100, false)));
            return Task.FromResult(RecordOf("w"));
        }));
        queue.CompleteAdding();
        var recorder = new DrainRecorder();
        var summary = await queue.RunAsync(recorder);

        Assert.Equal(3, recorder.Progresses.Count);
        Assert.Contains(recorder.Statuses, s => s.Running == 1 && s.BytesDone == 700 && s.EstimatedRemaining is not null);
        Assert.Equal(700, summary.BytesSent);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(65)]
    public void AThrottleOutsideItsRangeIsRefused(int throttle) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new DrainQueue(throttle));

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }
}
