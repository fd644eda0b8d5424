using System;

namespace MigrationTools.Engine.Criu;

/// <summary>The memory transfer a live switch will use between two hosts, and why.</summary>
/// <param name="Method">The method; never <see cref="MemoryTransfer.Auto"/>.</param>
/// <param name="Reason">Why this method, in a sentence an operator can act on.</param>
/// <param name="Refused">True when the operator insisted on a method the hosts cannot do; the preflight then fails.</param>
public sealed record MemoryTransferChoice(MemoryTransfer Method, string Reason, bool Refused = false)
{
    /// <summary>
    /// Picks the method: what was asked for when the hosts can do it (refused otherwise), else the best they support:
    /// post-copy bounds the frozen window by the non-memory state, pre-copy by the pages dirtied in the last round, and
    /// streamed stop-and-copy, which every CRIU host can do, by all the memory.
    /// </summary>
    /// <param name="requested">What the settings ask for.</param>
    /// <param name="postCopyBlock">Why the two hosts cannot post-copy; <see langword="null"/> when they can.</param>
    /// <param name="preCopyBlock">Why the two hosts cannot pre-copy; <see langword="null"/> when they can.</param>
    /// <returns>The choice.</returns>
    public static MemoryTransferChoice Choose(MemoryTransfer requested, string? postCopyBlock, string? preCopyBlock)
    {
        switch (requested)
        {
            case MemoryTransfer.PostCopy:
                return postCopyBlock is null
                    ? new(MemoryTransfer.PostCopy, "Post-copy, as asked: the destination restores at once and pulls the pages afterwards.")
                    : new(MemoryTransfer.PostCopy, $"Post-copy was asked for, but {postCopyBlock} Choose -MemoryTransfer Auto or StopAndCopy.", true);
            case MemoryTransfer.PreCopy:
                return preCopyBlock is null
                    ? new(MemoryTransfer.PreCopy, "Pre-copy, as asked: rounds of pre-dump while the workload runs, then only the dirtied pages frozen.")
                    : new(MemoryTransfer.PreCopy, $"Pre-copy was asked for, but {preCopyBlock} Choose -MemoryTransfer Auto or StopAndCopy.", true);
            case MemoryTransfer.StopAndCopy:
                return new(MemoryTransfer.StopAndCopy, "Stop-and-copy, as asked: all memory is streamed to the destination while the workload is frozen.");
            case MemoryTransfer.Auto:
                if (postCopyBlock is null)
                {
                    return new(MemoryTransfer.PostCopy,
                        "Post-copy: both hosts support lazy pages, so the frozen window holds only the non-memory state.");
                }

                if (preCopyBlock is null)
                {
                    return new(MemoryTransfer.PreCopy, $"Pre-copy: {postCopyBlock} Both hosts track dirty memory, so the frozen window holds only the last round's pages.");
                }

                return new(MemoryTransfer.StopAndCopy,
                    $"Stop-and-copy, streamed: {postCopyBlock} {preCopyBlock} All memory moves while the workload is frozen.");
            default:
                throw new ArgumentOutOfRangeException(nameof(requested), requested, "Not a memory transfer method.");
        }
    }
}
