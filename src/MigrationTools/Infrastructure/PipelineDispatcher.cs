using System;
using System.Collections.Concurrent;
using System.Threading;
using System.Threading.Tasks;

namespace MigrationTools.Infrastructure;

/// <summary>
/// Runs one step of a cmdlet (begin, process or end) as asynchronous code while keeping PowerShell on its own
/// thread: the calling thread, PowerShell's pipeline thread, starts the step and then pumps a queue until the step's
/// task ends. The queue receives the continuations of the step's awaits (this is their
/// <see cref="SynchronizationContext"/>) and the work other threads hand over with <see cref="Invoke{T}"/>, so every
/// call into PowerShell runs on the pipeline thread while the engine's work runs on the thread pool.
/// </summary>
/// <remarks>
/// PowerShell cmdlets may write output, errors and progress, and ask for confirmation, only on the pipeline thread and
/// only during one of their steps. A step run here may await engine calls freely: code after an await resumes on the
/// pipeline thread (awaits without <c>ConfigureAwait(false)</c>), and a call made from a worker thread waits until the
/// pipeline thread has run it.
/// </remarks>
internal sealed class PipelineDispatcher : SynchronizationContext, IDisposable
{
    private readonly BlockingCollection<(SendOrPostCallback Callback, object? State)> _queue = new();
    private readonly object _gate = new();
    private readonly int _pumpThreadId = Environment.CurrentManagedThreadId;
    private bool _completed;

    private PipelineDispatcher()
    {
    }

    /// <summary>True on the thread that runs the step and pumps its queue, while it does.</summary>
    /// <remarks>
    /// Once the step has ended the thread may be anything, even a thread-pool thread that picks up a late worker's
    /// call: it no longer counts.
    /// </remarks>
    public bool IsPumpThread => Environment.CurrentManagedThreadId == _pumpThreadId && !IsCompleted;

    /// <summary>True once the step has ended and nothing pumps the queue any more.</summary>
    public bool IsCompleted
    {
        get
        {
            lock (_gate)
            {
                return _completed;
            }
        }
    }

    /// <summary>
    /// Runs <paramref name="step"/> on the calling thread with a new dispatcher as its synchronization context, pumps the
    /// dispatcher's queue until the step's task ends, and returns or throws as the task did.
    /// </summary>
    /// <param name="step">The step; it receives the dispatcher that serves it.</param>
    public static void Run(Func<PipelineDispatcher, Task> step)
    {
        if (step is null)
        {
            throw new ArgumentNullException(nameof(step));
        }

        var previous = Current;
        using var dispatcher = new PipelineDispatcher();
        SetSynchronizationContext(dispatcher);
        try
        {
            Task task;
            try
            {
                task = step(dispatcher);
            }
            catch (Exception error)
            {
                // A step that throws before its first await ends like one whose task faulted.
                task = Task.FromException(error);
            }

            _ = task.ContinueWith(
                (_, state) => ((PipelineDispatcher)state!).CompleteQueue(),
                dispatcher,
                CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default);

            foreach (var (callback, state) in dispatcher._queue.GetConsumingEnumerable())
            {
                callback(state);
            }

            task.GetAwaiter().GetResult();
        }
        finally
        {
            SetSynchronizationContext(previous);
        }
    }

    /// <summary>
    /// Runs <paramref name="function"/> on the pipeline thread and returns its result: at once when called there,
    /// otherwise by queueing it and blocking the calling thread until the pump has run it.
    /// </summary>
    /// <typeparam name="T">The result's type.</typeparam>
    /// <param name="function">What to run.</param>
    /// <returns>What <paramref name="function"/> returned; its exception is rethrown to the caller.</returns>
    /// <exception cref="InvalidOperationException">The step has ended, so nothing would run it.</exception>
    public T Invoke<T>(Func<T> function)
    {
        if (function is null)
        {
            throw new ArgumentNullException(nameof(function));
        }

        if (IsPumpThread)
        {
            return function();
        }

        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!TryEnqueue(_ => Complete(done, function), null))
        {
            throw new InvalidOperationException(
                "A call into PowerShell came from a worker thread after the cmdlet's step had ended; await every task the step starts.");
        }

        return done.Task.GetAwaiter().GetResult();
    }

    /// <summary>Queues a continuation for the pipeline thread.</summary>
    /// <param name="d">The continuation.</param>
    /// <param name="state">Its state.</param>
    public override void Post(SendOrPostCallback d, object? state)
    {
        if (d is null)
        {
            throw new ArgumentNullException(nameof(d));
        }

        if (!TryEnqueue(d, state))
        {
            // The step has ended: a task it left running continues on the thread pool, where calls into PowerShell
            // are refused (Invoke throws) rather than made from the wrong thread.
            ThreadPool.QueueUserWorkItem(s => d(s), state);
        }
    }

    /// <summary>Runs <paramref name="d"/> on the pipeline thread and waits for it.</summary>
    /// <param name="d">The callback.</param>
    /// <param name="state">Its state.</param>
    public override void Send(SendOrPostCallback d, object? state)
    {
        if (d is null)
        {
            throw new ArgumentNullException(nameof(d));
        }

        Invoke(() =>
        {
            d(state);
            return true;
        });
    }

    /// <summary>The same dispatcher: there is one queue per step.</summary>
    /// <returns>This dispatcher.</returns>
    public override SynchronizationContext CreateCopy() => this;

    /// <summary>Releases the queue.</summary>
    public void Dispose() => _queue.Dispose();

    private static void Complete<T>(TaskCompletionSource<T> done, Func<T> function)
    {
        try
        {
            done.SetResult(function());
        }
#pragma warning disable CA1031 // Every exception goes back to the thread that asked for the call.
        catch (Exception error)
#pragma warning restore CA1031
        {
            done.SetException(error);
        }
    }

    private bool TryEnqueue(SendOrPostCallback callback, object? state)
    {
        lock (_gate)
        {
            if (_completed)
            {
                return false;
            }

            _queue.Add((callback, state));
            return true;
        }
    }

    private void CompleteQueue()
    {
        lock (_gate)
        {
            _completed = true;
            _queue.CompleteAdding();
        }
    }
}
