using System;
using System.Collections.Generic;
using System.Threading;
using MigrationTools.Engine.Draining;

namespace MigrationTools.Infrastructure;

/// <summary>How a command runs its confirmed inputs concurrently (-ThrottleLimit): the drain's parameters.</summary>
/// <param name="ThrottleLimit">At most this many at once, 1-64.</param>
/// <param name="Order">Which waiting input starts next.</param>
/// <param name="HoldErrors">
/// True under -ErrorAction Stop: failures are kept while the others go on, and the command ends with one terminating
/// error naming them all, instead of the first failure ending it.
/// </param>
/// <param name="Describe">The parent bar's activity from the inputs' count and their source hosts, such as <c>Draining h1</c>.</param>
/// <param name="Stopping">The command's Ctrl+C, which cancels every running migration.</param>
internal sealed record DrainSettings(
    int ThrottleLimit,
    DrainOrder Order,
    bool HoldErrors,
    Func<int, IReadOnlyList<string>, string> Describe,
    CancellationToken Stopping);
