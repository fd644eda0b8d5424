using System;

namespace MigrationTools.Engine.Criu;

/// <summary>The memory transfer a live switch will use between two hosts, and why.</summary>
/// <param name="Method">The method; never <see cref="MemoryTransfer.Auto"/>.</param>
/// <param name="Reason">Why this method, in a sentence an operator can act on.</param>
/// <param name="Streamed">
/// Whether pages go straight from host to host (a page server), rather than in the checkpoint's images through the
/// transfer path of the migration.
/// </param>
/// <param name="Refused">True when the operator insisted on a method the hosts cannot do; the preflight then fails.</param>
public sealed record MemoryTransferChoice(MemoryTransfer Method, string Reason, bool Streamed, bool Refused = false)
{
    /// <summary>The addresses pages sent straight between the hosts use, as found for this choice; kept for the switch's dump.</summary>
    internal Transfer.HostLinkAddresses? Link { get; init; }

    /// <summary>
    /// Picks the method: what was asked for when the hosts can do it (refused otherwise), else the best they support:
    /// post-copy bounds the frozen window by the non-memory state, pre-copy by the pages dirtied in the last round, and
    /// stop-and-copy, which every CRIU host can do, by all the memory (streamed when pages can go host to host).
    /// </summary>
    /// <param name="requested">What the settings ask for.</param>
    /// <param name="postCopyBlock">Why the two hosts cannot post-copy; <see langword="null"/> when they can.</param>
    /// <param name="preCopyBlock">Why the two hosts cannot pre-copy; <see langword="null"/> when they can.</param>
    /// <param name="streamBlock">
    /// Why pages cannot go straight from host to host; <see langword="null"/> when they can. Post-copy needs that too.
    /// </param>
    /// <returns>The choice.</returns>
    public static MemoryTransferChoice Choose(MemoryTransfer requested, string? postCopyBlock, string? preCopyBlock, string? streamBlock = null)
    {
        var postCopy = postCopyBlock ?? streamBlock;
        var streamed = streamBlock is null;
        var stopAndCopy = streamed
            ? "all memory is streamed to a page server on the destination while the workload is frozen."
            : $"all memory travels in the checkpoint's images while the workload is frozen, since {streamBlock}";
        var preCopy = "rounds of pre-dump copy the memory while the workload runs, until the pages dirtied between rounds stop " +
            "shrinking; frozen, only the pages dirtied since the last round are dumped" +
            (streamed ? ", each round streamed to a page server on the destination." : $", each round shipped in its images, since {streamBlock}");
        switch (requested)
        {
            case MemoryTransfer.PostCopy:
                return postCopy is null
                    ? new(MemoryTransfer.PostCopy, "Post-copy, as asked: the destination restores at once and pulls the pages afterwards.", true)
                    : new(MemoryTransfer.PostCopy, $"Post-copy was asked for, but {postCopy} Choose -MemoryTransfer Auto or StopAndCopy.", true, true);
            case MemoryTransfer.PreCopy:
                return preCopyBlock is null
                    ? new(MemoryTransfer.PreCopy, "Pre-copy, as asked: " + preCopy, streamed)
                    : new(MemoryTransfer.PreCopy, $"Pre-copy was asked for, but {preCopyBlock} Choose -MemoryTransfer Auto or StopAndCopy.", streamed, true);
            case MemoryTransfer.StopAndCopy:
                return new(MemoryTransfer.StopAndCopy, "Stop-and-copy, as asked: " + stopAndCopy, streamed);
            case MemoryTransfer.Auto:
                if (postCopy is null)
                {
                    return new(MemoryTransfer.PostCopy,
                        "Post-copy: both hosts serve lazy pages and reach each other, so the frozen window holds only the non-memory state.", true);
                }

                if (preCopyBlock is null)
                {
                    return new(MemoryTransfer.PreCopy, $"Pre-copy, since {Lower(postCopy)} The source tracks dirty memory (mem_dirty_track), so {preCopy}", streamed);
                }

                return new(MemoryTransfer.StopAndCopy, $"Stop-and-copy, since {Lower(postCopy)} {preCopyBlock} So {stopAndCopy}", streamed);
            default:
                throw new ArgumentOutOfRangeException(nameof(requested), requested, "Not a memory transfer method.");
        }
    }

    private static string Lower(string sentence) =>
        sentence.Length > 1 && char.IsUpper(sentence[0]) && !char.IsUpper(sentence[1]) ? char.ToLowerInvariant(sentence[0]) + sentence.Substring(1) : sentence;
}
