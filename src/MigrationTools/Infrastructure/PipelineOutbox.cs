using System;
using System.Collections.Concurrent;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;

namespace MigrationTools.Infrastructure;

/// <summary>
/// Calls into PowerShell from work that outlives one step of the cmdlet, such as a drain whose migrations run while
/// the pipeline is still producing its inputs: workers queue their calls here without ever waiting, and each step
/// delivers what is queued on the pipeline thread (<see cref="Deliver"/>), the end step until the work is over
/// (<see cref="DeliverUntilAsync"/>). PowerShell takes writes only during a step, so what a worker queues between two
/// inputs is written at the next one.
/// </summary>
internal sealed class PipelineOutbox : IDisposable
{
    private readonly ConcurrentQueue<Action> _calls = new();
    private readonly SemaphoreSlim _queued = new(0);

    /// <summary>Queues <paramref name="call"/> for the pipeline thread; from any thread, never waiting.</summary>
    /// <param name="call">A call into PowerShell.</param>
    public void Post(Action call)
    {
        _calls.Enqueue(call ?? throw new ArgumentNullException(nameof(call)));
        _queued.Release();
    }

    /// <summary>
    /// Runs every queued call on the pipeline thread through <paramref name="pipeline"/> (or on the current thread
    /// outside a step, when it is the pipeline thread itself, as in Dispose). A call refused because the pipeline is
    /// stopping is skipped, so those after it (the Completed records of bars, which then go to the host) still run,
    /// and the stop is rethrown after them; any other exception (such as -ErrorAction Stop turning an error into a
    /// terminating one) stops the delivery and is rethrown.
    /// </summary>
    /// <param name="pipeline">The cmdlet's calls into PowerShell.</param>
    public void Deliver(CmdletPipeline pipeline)
    {
        if (pipeline is null)
        {
            throw new ArgumentNullException(nameof(pipeline));
        }

        if (_calls.IsEmpty)
        {
            return;
        }

        pipeline.Invoke(() => RunQueued(keepGoing: false));
    }

    /// <summary>Delivers queued calls as they come until <paramref name="work"/> has ended, then the last of them.</summary>
    /// <param name="pipeline">The cmdlet's calls into PowerShell.</param>
    /// <param name="work">The work whose calls are delivered.</param>
    /// <returns>A task that completes once the work has ended and everything it queued was delivered.</returns>
    public async Task DeliverUntilAsync(CmdletPipeline pipeline, Task work)
    {
        if (work is null)
        {
            throw new ArgumentNullException(nameof(work));
        }

        while (!work.IsCompleted)
        {
            Deliver(pipeline);
            _ = await Task.WhenAny(work, _queued.WaitAsync()).ConfigureAwait(false);
        }

        Deliver(pipeline);
    }

    /// <summary>
    /// Delivers queued calls on the current thread, which must be the pipeline thread outside any step, until
    /// <paramref name="work"/> has ended: for a command stopped between two inputs, whose Dispose waits for its work.
    /// </summary>
    /// <param name="pipeline">The cmdlet's calls into PowerShell, run directly outside a step.</param>
    /// <param name="work">The work whose calls are delivered.</param>
    public void DeliverWhileWaiting(CmdletPipeline pipeline, Task work)
    {
        if (work is null)
        {
            throw new ArgumentNullException(nameof(work));
        }

        while (!work.IsCompleted)
        {
            DeliverSafely(pipeline);
            _ = _queued.Wait(TimeSpan.FromMilliseconds(200));
        }

        DeliverSafely(pipeline);
    }

    /// <summary>Releases the signal.</summary>
    public void Dispose() => _queued.Dispose();

    private void DeliverSafely(CmdletPipeline pipeline)
    {
        if (!_calls.IsEmpty)
        {
            pipeline.Invoke(() => RunQueued(keepGoing: true));
        }
    }

    private void RunQueued(bool keepGoing)
    {
        PipelineStoppedException? stopped = null;
        while (_calls.TryDequeue(out var call))
        {
            try
            {
                call();
            }
            catch (PipelineStoppedException error)
            {
                // The stop under way refuses writes; the calls after this one still close bars on the host, and then
                // the stop goes on ending the command (Ctrl+C, or a downstream Select-Object -First that has enough).
                stopped ??= error;
            }
#pragma warning disable CA1031 // A command that is ending writes what it still can and drops the rest, one call at a time.
            catch (Exception) when (keepGoing)
#pragma warning restore CA1031
            {
            }
        }

        if (stopped is not null && !keepGoing)
        {
            throw stopped;
        }
    }
}
