using System;
using System.Threading;
using System.Threading.Tasks;

namespace MigrationTools.Engine.Switching;

/// <summary>Two pieces of work run side by side that succeed or fail together.</summary>
internal static class LinkedWork
{
    /// <summary>
    /// Runs <paramref name="first"/> and <paramref name="second"/> at once; the first to fail cancels the other, and the
    /// failure is thrown rather than the cancellation it caused.
    /// </summary>
    public static async Task<(T1 First, T2 Second)> BothAsync<T1, T2>(
        Func<CancellationToken, Task<T1>> first, Func<CancellationToken, Task<T2>> second, CancellationToken cancellationToken)
    {
        using var both = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var one = Stopping(both, first);
        var other = Stopping(both, second);
        try
        {
            await Task.WhenAll(one, other).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // One side failed and cancelled the other: report the failure, not the cancellation it caused.
            foreach (var task in new Task[] { one, other })
            {
                if (task.IsFaulted)
                {
                    await task.ConfigureAwait(false);
                }
            }

            throw;
        }

        return (await one.ConfigureAwait(false), await other.ConfigureAwait(false));
    }

    /// <summary>Runs <paramref name="work"/>, cancelling <paramref name="both"/> when it fails so its partner stops too.</summary>
    private static async Task<T> Stopping<T>(CancellationTokenSource both, Func<CancellationToken, Task<T>> work)
    {
        try
        {
            return await work(both.Token).ConfigureAwait(false);
        }
        catch
        {
            both.Cancel();
            throw;
        }
    }
}
