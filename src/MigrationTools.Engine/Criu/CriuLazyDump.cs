using System;
using MigrationTools.Engine.Workloads;

namespace MigrationTools.Engine.Criu;

/// <summary>
/// A post-copy dump that has written the non-memory images and now serves the tree's pages, frozen, until a
/// <c>criu lazy-pages</c> daemon on the destination has pulled every one (<see cref="CriuHost.WaitForLazyDumpAsync"/>).
/// </summary>
/// <param name="Host">The source host.</param>
/// <param name="Process">The tree's root.</param>
/// <param name="Images">The non-memory images, to ship to the destination while the pages are served.</param>
/// <param name="Endpoint">Where the dump serves the pages.</param>
/// <param name="ImageBytes">The size of the images written so far (without the pages), in bytes.</param>
/// <param name="Elapsed">From the start of the dump until the images were written and the pages served.</param>
internal sealed record CriuLazyDump(
    string Host, WorkloadProcess Process, CriuImageDirectory Images, CriuPageServer Endpoint, long ImageBytes, TimeSpan Elapsed)
{
    /// <summary>The options used; the restore must use the same (<see cref="CriuRestoreRequest.For(CriuLazyDump, CriuImageDirectory?)"/>).</summary>
    public CriuOptions Options { get; init; } = CriuOptions.Default;

    /// <summary>True when the tree stays stopped here once every page has moved; false when CRIU ends it then.</summary>
    public bool LeavesStopped { get; init; } = true;
}
