using MigrationTools.Infrastructure;

namespace MigrationTools.Module.Tests.Unit;

public sealed class ConcurrentWorkTests
{
    [Fact]
    public async Task RunsEveryItemAtTheSameTime()
    {
        var started = 0;
        var allStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        await ConcurrentWork.ForEachAsync(
            ["h1", "h2", "h3"],
            async (_, token) =>
            {
                if (Interlocked.Increment(ref started) == 3)
                {
                    allStarted.SetResult();
                }

                // Each waits for the others: only concurrent work gets past this.
                await allStarted.Task.WaitAsync(TimeSpan.FromSeconds(10), token);
            },
            CancellationToken.None);

        Assert.Equal(3, started);
    }

    [Fact]
    public async Task AFailureCancelsTheOthersWaitsForThemAndIsRethrown()
    {
        var cancelled = 0;
        var finished = 0;

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => ConcurrentWork.ForEachAsync(
            [1, 2, 3],
            async (item, token) =>
            {
                try
                {
                    if (item == 2)
                    {
                        await Task.Delay(20, CancellationToken.None);
                        throw new InvalidOperationException("host 2 failed");
                    }

                    await Task.Delay(TimeSpan.FromSeconds(30), token);
                }
                catch (OperationCanceledException)
                {
                    Interlocked.Increment(ref cancelled);
                    throw;
                }
                finally
                {
                    Interlocked.Increment(ref finished);
                }
            },
            CancellationToken.None));

        Assert.Equal("host 2 failed", error.Message);
        Assert.Equal(2, cancelled);
        Assert.Equal(3, finished);
    }

    [Fact]
    public async Task CancellingTheCallersTokenEndsTheWorkAsCancelled()
    {
        using var stop = new CancellationTokenSource();

        var run = ConcurrentWork.ForEachAsync(
            ["h1", "h2"],
            (_, token) => Task.Delay(TimeSpan.FromSeconds(30), token),
            stop.Token);
        stop.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
    }

    [Fact]
    public async Task NoItemsIsNoWork()
    {
        var calls = 0;

        await ConcurrentWork.ForEachAsync(Array.Empty<string>(), (_, _) => Task.FromResult(++calls), CancellationToken.None);

        Assert.Equal(0, calls);
    }
}
