using System;
using System.Collections.Concurrent;
using System.Threading;
using System.Threading.Tasks;

namespace MigrationTools.Infrastructure;

/// <summary>
/// The one way from a cmdlet's asynchronous work to PowerShell's pipeline thread: the step (begin, process or end) runs
/// on the thread pool while the pipeline thread, which started it, pumps a queue of calls into PowerShell until the
/// step's task ends. Worker code hands every such call over with <see cref="Invoke{T}"/> (and waits for its result or
/// exception) or, for progress that must never hold the engine up, with <see cref="Post"/>.
/// </summary>
/// <remarks>
/// PowerShell lets a cmdlet write output, errors and progress, and ask for confirmation, only on the pipeline thread and
/// only during one of its steps. The queue is first in, first out, so what a step writes reaches the pipeline in the
/// order it was written, from however many workers.
/// </remarks>
internal sealed class PipelineDispatcher : IDisposable
{
    private readonly BlockingCollection<Action> _queue = new();
    private readonly object _gate = new();
    private readonly int _pumpThreadId = Environment.CurrentManagedThreadId;
    private bool _completed;

    private PipelineDispatcher()
    {
    }

    /// <summary>True on the thread that pumps the queue, while it does.</summary>
    /// <remarks>
    /// Once the step has ended that thread may run anything, even a late worker's call on a thread-pool thread that
    /// happens to carry the same id: it no longer counts.
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
    /// Starts <paramref name="step"/> on the thread pool with a new dispatcher, pumps the dispatcher's queue on the
    /// calling thread until the step's task ends, and returns or throws as the task did.
    /// </summary>
    /// <param name="step">The step; it receives the dispatcher that serves it.</param>
    public static void Run(Func<PipelineDispatcher, Task> step)
    {
        if (step is null)
        {
            throw new ArgumentNullException(nameof(step));
        }

        using var dispatcher = new PipelineDispatcher();

        // Task.Run turns a step that throws before its first await into a faulted task too.
        var task = Task.Run(() => step(dispatcher));
        _ = task.ContinueWith(
            (_, state) => ((PipelineDispatcher)state!).CompleteQueue(),
            dispatcher,
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);

        foreach (var call in dispatcher._queue.GetConsumingEnumerable())
        {
            call();
        }

        task.GetAwaiter().GetResult();
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
        if (!TryEnqueue(() => Complete(done, function)))
        {
            throw new InvalidOperationException(
                "A call into PowerShell came from a worker thread after the cmdlet's step had ended; await every task the step starts.");
        }

        return done.Task.GetAwaiter().GetResult();
    }

    /// <summary>Runs <paramref name="action"/> on the pipeline thread and waits for it, as <see cref="Invoke{T}"/> does.</summary>
    /// <param name="action">What to run.</param>
    public void Invoke(Action action)
    {
        if (action is null)
        {
            throw new ArgumentNullException(nameof(action));
        }

        Invoke(() =>
        {
            action();
            return true;
        });
    }

    /// <summary>
    /// Queues <paramref name="action"/> for the pipeline thread without waiting for it; it must not throw, since
    /// nobody waits for its outcome.
    /// </summary>
    /// <param name="action">What to run.</param>
    /// <returns>False when the step has ended and the action was dropped.</returns>
    public bool Post(Action action)
    {
        if (action is null)
        {
            throw new ArgumentNullException(nameof(action));
        }

        return TryEnqueue(action);
    }

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

    private bool TryEnqueue(Action call)
    {
        lock (_gate)
        {
            if (_completed)
            {
                return false;
            }

            _queue.Add(call);
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
