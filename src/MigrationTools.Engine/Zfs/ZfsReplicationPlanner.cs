using System;

namespace MigrationTools.Engine.Zfs;

/// <summary>Decides, for one (source, target) pair of hosts, which optional stream flags to use.</summary>
internal static class ZfsReplicationPlanner
{
    /// <summary>Plans streams from <paramref name="source"/> to <paramref name="target"/>.</summary>
    /// <param name="source">The sending host's capabilities.</param>
    /// <param name="target">The receiving host's capabilities.</param>
    /// <returns>The plan.</returns>
    /// <remarks>
    /// A stream flag that changes the stream's format (<c>-c</c>, <c>-L</c>, <c>-e</c>) is used only when the
    /// source can send it and the target's <c>zfs</c> could send it too: software that writes a stream feature
    /// reads it, while an older receiver (zfs-fuse) rejects streams it does not know. Receive flags need only the
    /// target; resuming needs both ends (<c>send -t</c> on the source, <c>receive -s</c> and the
    /// <c>receive_resume_token</c> property on the target).
    /// </remarks>
    public static ZfsReplicationPlan Plan(ZfsCapabilities source, ZfsCapabilities target)
    {
        if (source is null)
        {
            throw new ArgumentNullException(nameof(source));
        }

        if (target is null)
        {
            throw new ArgumentNullException(nameof(target));
        }

        return new ZfsReplicationPlan
        {
            SendCompressed = source.CanSendCompressed && target.CanSendCompressed,
            SendLargeBlocks = source.CanSendLargeBlocks && target.CanSendLargeBlocks,
            SendEmbedded = source.CanSendEmbedded && target.CanSendEmbedded,
            CanEstimateSize = source.CanEstimateSendSize,
            ReceiveResumable = source.CanResumeSend && target.CanReceiveResumable && target.HasResumeTokenProperty,
            ReceiveUnmounted = target.CanReceiveUnmounted,
            CanAbortResumableReceive = target.CanAbortResumableReceive,
            RollBackOwnedCopies = !target.CanReceiveUnmounted,
            RemountAfterReceive = target.IsLegacy,
            SendOneDatasetAtATime = source.IsLegacy,
            GuardSendHolds = source.IsLegacy,
        };
    }
}
