namespace MigrationTools.Engine.Criu;

/// <summary>How a live (criu) switch moves the workload's memory from the source to the destination.</summary>
public enum MemoryTransfer
{
    /// <summary>The best method both hosts support: post-copy, then pre-copy, then streamed stop-and-copy.</summary>
    Auto,

    /// <summary>
    /// The destination restores at once from the non-memory images and pulls the pages from the frozen source on
    /// demand and in the background (userfaultfd, <c>criu dump/restore --lazy-pages</c>); the source stays frozen, and
    /// able to resume, until every page has arrived.
    /// </summary>
    PostCopy,

    /// <summary>
    /// Rounds of <c>criu pre-dump --track-mem</c> while the workload runs, then a final dump of only the pages dirtied
    /// since (soft-dirty tracking).
    /// </summary>
    PreCopy,

    /// <summary>
    /// One dump while the workload is frozen, its pages streamed straight to a page server on the destination
    /// (<c>criu dump --page-server</c>), so no page is written, archived and read again on the way.
    /// </summary>
    StopAndCopy,
}
