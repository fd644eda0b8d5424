using MigrationTools.Infrastructure;

namespace MigrationTools.Module.Tests.Unit;

/// <summary>
/// The async bridge: a step's awaits resume on the thread that runs it (PowerShell's pipeline thread), and calls from
/// worker threads wait for that thread to run them.
/// </summary>
public sealed class PipelineDispatcherTests
{
    [Fact]
    public void AwaitsInTheStepResumeOnTheCallingThread()
    {
        var caller = Environment.CurrentManagedThreadId;
        var threads = new List<int>();

        PipelineDispatcher.Run(async _ =>
        {
            threads.Add(Environment.CurrentManagedThreadId);
            await Task.Run(() => Thread.Sleep(20));
            threads.Add(Environment.CurrentManagedThreadId);
            await Task.Delay(10);
            threads.Add(Environment.CurrentManagedThreadId);
        });

        Assert.Equal([caller, caller, caller], threads);
    }

    [Fact]
    public void EngineWorkRunsOffTheCallingThread()
    {
        var caller = Environment.CurrentManagedThreadId;
        var worker = 0;

        PipelineDispatcher.Run(async _ => await Task.Run(() => worker = Environment.CurrentManagedThreadId).ConfigureAwait(true));

        Assert.NotEqual(0, worker);
        Assert.NotEqual(caller, worker);
    }

    [Fact]
    public void ACallFromAWorkerThreadRunsOnTheCallingThreadAndReturnsItsResult()
    {
        var caller = Environment.CurrentManagedThreadId;
        var ranOn = 0;
        var result = "";

        PipelineDispatcher.Run(async dispatcher =>
        {
            result = await Task.Run(() => dispatcher.Invoke(() =>
            {
                ranOn = Environment.CurrentManagedThreadId;
                return "confirmed";
            }));
        });

        Assert.Equal(caller, ranOn);
        Assert.Equal("confirmed", result);
    }

    [Fact]
    public void AnExceptionOfACallFromAWorkerThreadReachesThatThread()
    {
        Exception? seen = null;

        PipelineDispatcher.Run(async dispatcher =>
        {
            await Task.Run(() =>
            {
                try
                {
                    dispatcher.Invoke<bool>(() => throw new InvalidOperationException("refused"));
                }
                catch (InvalidOperationException error)
                {
                    seen = error;
                }
            });
        });

        Assert.Equal("refused", seen?.Message);
    }

    [Fact]
    public void ConcurrentWorkersAreServedOneAtATimeInTheOrderTheyAsked()
    {
        var active = 0;
        var overlap = false;
        var served = new List<int>();

        PipelineDispatcher.Run(async dispatcher =>
        {
            await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(() => dispatcher.Invoke(() =>
            {
                overlap |= Interlocked.Increment(ref active) > 1;
                served.Add(i);
                Thread.Sleep(2);
                Interlocked.Decrement(ref active);
                return i;
            }))));
        });

        Assert.False(overlap);
        Assert.Equal(Enumerable.Range(0, 8), served.Order());
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
    public void ANestedRunPumpsItsOwnQueueAndRestoresTheOuterContext()
    {
        var caller = Environment.CurrentManagedThreadId;
        SynchronizationContext? outer = null;
        SynchronizationContext? afterInner = null;
        var innerThread = 0;

        PipelineDispatcher.Run(async _ =>
        {
            outer = SynchronizationContext.Current;
            await Task.Yield();

            // A downstream cmdlet's step runs inside this one's WriteObject, on the same thread.
            PipelineDispatcher.Run(async _ =>
            {
                await Task.Delay(5);
                innerThread = Environment.CurrentManagedThreadId;
            });
            afterInner = SynchronizationContext.Current;
            await Task.Delay(5);
        });

        Assert.Equal(caller, innerThread);
        Assert.IsType<PipelineDispatcher>(outer);
        Assert.Same(outer, afterInner);
        Assert.IsNotType<PipelineDispatcher>(SynchronizationContext.Current);
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
    }
}
