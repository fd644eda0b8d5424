using MigrationTools.Infrastructure;

namespace MigrationTools.Module.Tests.Unit;

/// <summary>
/// The one way to the pipeline thread: a step runs on the thread pool while the thread that started it (PowerShell's
/// pipeline thread) pumps the calls workers hand over, in the order they were made, until the step ends.
/// </summary>
public sealed class PipelineDispatcherTests
{
    [Fact]
    public void TheStepRunsOffTheCallingThread()
    {
        var caller = Environment.CurrentManagedThreadId;
        var threads = new List<int>();

        PipelineDispatcher.Run(async _ =>
        {
            threads.Add(Environment.CurrentManagedThreadId);
            await Task.Delay(10);
            threads.Add(Environment.CurrentManagedThreadId);
        });

        Assert.Equal(2, threads.Count);
        Assert.All(threads, thread => Assert.NotEqual(caller, thread));
    }

    [Fact]
    public void ACallFromAWorkerThreadRunsOnTheCallingThreadAndReturnsItsResult()
    {
        var caller = Environment.CurrentManagedThreadId;
        var ranOn = 0;
        var result = "";

        PipelineDispatcher.Run(async dispatcher =>
        {
            await Task.Yield();
            result = dispatcher.Invoke(() =>
            {
                ranOn = Environment.CurrentManagedThreadId;
                return "confirmed";
            });
        });

        Assert.Equal(caller, ranOn);
        Assert.Equal("confirmed", result);
    }

    [Fact]
    public void AnExceptionOfACallFromAWorkerThreadReachesThatThread()
    {
        Exception? seen = null;

        PipelineDispatcher.Run(dispatcher =>
        {
            try
            {
                dispatcher.Invoke<bool>(() => throw new InvalidOperationException("refused"));
            }
            catch (InvalidOperationException error)
            {
                seen = error;
            }

            return Task.CompletedTask;
        });

        Assert.Equal("refused", seen?.Message);
    }

    [Fact]
    public void ConcurrentWorkersAreServedOneAtATime()
    {
        var caller = Environment.CurrentManagedThreadId;
        var active = 0;
        var overlap = false;
        var served = new List<int>();
        var threads = new HashSet<int>();

        PipelineDispatcher.Run(async dispatcher =>
        {
            await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(() => dispatcher.Invoke(() =>
            {
                overlap |= Interlocked.Increment(ref active) > 1;
                served.Add(i);
                threads.Add(Environment.CurrentManagedThreadId);
                Thread.Sleep(2);
                Interlocked.Decrement(ref active);
                return i;
            }))));
        });

        Assert.False(overlap);
        Assert.Equal(Enumerable.Range(0, 8), served.Order());
        Assert.Equal([caller], threads);
    }

    [Fact]
    public void CallsRunInTheOrderTheyWereMadeAndPostedOnesBeforeTheStepReturns()
    {
        var caller = Environment.CurrentManagedThreadId;
        var order = new List<string>();
        var threads = new HashSet<int>();

        PipelineDispatcher.Run(async dispatcher =>
        {
            await Task.Yield();
            for (var i = 0; i < 5; i++)
            {
                var n = i;
                Assert.True(dispatcher.Post(() =>
                {
                    Thread.Sleep(2);
                    order.Add($"posted {n}");
                    threads.Add(Environment.CurrentManagedThreadId);
                }));
            }

            dispatcher.Invoke(() => order.Add("invoked"));
        });

        Assert.Equal(["posted 0", "posted 1", "posted 2", "posted 3", "posted 4", "invoked"], order);
        Assert.Equal([caller], threads);
    }

    [Fact]
    public void TheStepsExceptionIsRethrownAsItself()
    {
        var error = Assert.Throws<TimeoutException>(() => PipelineDispatcher.Run(async _ =>
        {
            await Task.Yield();
            throw new TimeoutException("too slow");
        }));

        Assert.Equal("too slow", error.Message);
    }

    [Fact]
    public void AStepThatThrowsBeforeItsFirstAwaitIsRethrownToo()
    {
        Assert.Throws<ArgumentException>(() => PipelineDispatcher.Run(_ => throw new ArgumentException("bad")));
    }

    [Fact]
    public void ARunNestedInACallPumpsItsOwnQueueOnTheSameThread()
    {
        var caller = Environment.CurrentManagedThreadId;
        var innerThread = 0;
        var outerAfterInner = 0;

        PipelineDispatcher.Run(async outer =>
        {
            await Task.Yield();

            // A downstream cmdlet's step runs inside this one's WriteObject, on the pipeline thread.
            outer.Invoke(() => PipelineDispatcher.Run(async inner =>
            {
                await Task.Delay(5);
                inner.Invoke(() => innerThread = Environment.CurrentManagedThreadId);
            }));
            outer.Invoke(() => outerAfterInner = Environment.CurrentManagedThreadId);
        });

        Assert.Equal(caller, innerThread);
        Assert.Equal(caller, outerAfterInner);
    }

    [Fact]
    public async Task ACallAfterTheStepEndedIsRefusedInsteadOfHanging()
    {
        PipelineDispatcher? ended = null;
        PipelineDispatcher.Run(dispatcher =>
        {
            ended = dispatcher;
            return Task.CompletedTask;
        });

        var call = Task.Run(() => ended!.Invoke(() => 1));

        await Assert.ThrowsAsync<InvalidOperationException>(() => call.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.True(ended!.IsCompleted);
        Assert.False(ended.Post(() => { }));
    }
}
