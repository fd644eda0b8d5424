using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.ExceptionServices;
using System.Threading;
using System.Threading.Tasks;

namespace MigrationTools.Infrastructure;

/// <summary>Runs one piece of work per item at the same time, such as one listing per host.</summary>
internal static class ConcurrentWork
{
    /// <summary>
    /// Starts <paramref name="work"/> for every item at once and waits for all of them. When one throws, the others
    /// are cancelled through their token; once all have ended, the first failure that was not such a cancellation is
    /// rethrown, so a step never returns while work it started still runs.
    /// </summary>
    /// <typeparam name="T">The items' type.</typeparam>
    /// <param name="items">The items.</param>
    /// <param name="work">The work for one item; it handles the failures it can report itself.</param>
    /// <param name="cancellationToken">Cancels all of the work.</param>
    /// <returns>A task that completes when every piece of work has ended.</returns>
    public static async Task ForEachAsync<T>(IEnumerable<T> items, Func<T, CancellationToken, Task> work, CancellationToken cancellationToken)
    {
        if (items is null)
        {
            throw new ArgumentNullException(nameof(items));
        }

        if (work is null)
        {
            throw new ArgumentNullException(nameof(work));
        }

        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var failures = new List<(int Order, Exception Error)>();
        var order = 0;

        async Task RunOne(T item)
        {
            try
            {
                await work(item, linked.Token).ConfigureAwait(true);
            }
#pragma warning disable CA1031 // Kept and rethrown once every piece of work has ended.
            catch (Exception error)
#pragma warning restore CA1031
            {
                lock (failures)
                {
                    failures.Add((order++, error));
                }

                linked.Cancel();
            }
        }

        await Task.WhenAll(items.Select(RunOne).ToArray()).ConfigureAwait(true);

        if (failures.Count == 0)
        {
            return;
        }

        // The cancellations that followed the first failure are its consequence, not news.
        var first = failures.OrderBy(f => f.Order).Select(f => f.Error).FirstOrDefault(e => e is not OperationCanceledException)
            ?? failures.OrderBy(f => f.Order).First().Error;
        ExceptionDispatchInfo.Capture(first).Throw();
    }
}
