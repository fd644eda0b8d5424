namespace MigrationTools.Engine.Zfs;

/// <summary>
/// How streams go from one source host to one target host: which optional <c>zfs send</c> and
/// <c>zfs receive</c> flags both ends understand. Made by <see cref="ZfsReplicationPlanner"/>; read by
/// <see cref="ZfsSendCommand"/> and <see cref="ZfsReceiveCommand"/>.
/// </summary>
public sealed record ZfsReplicationPlan
{
    /// <summary>The plan that uses no optional flag: what any two hosts, legacy ones included, can do.</summary>
    public static ZfsReplicationPlan Basic { get; } = new();

    /// <summary><c>zfs send -c</c>: blocks travel compressed as they are on disk.</summary>
    public bool SendCompressed { get; init; }

    /// <summary><c>zfs send -L</c>: large blocks stay large.</summary>
    public bool SendLargeBlocks { get; init; }

    /// <summary><c>zfs send -e</c>: embedded blocks stay embedded.</summary>
    public bool SendEmbedded { get; init; }

    /// <summary><c>zfs send -n -P</c> can estimate a stream's size on the source.</summary>
    public bool CanEstimateSize { get; init; }

    /// <summary>
    /// <c>zfs receive -s</c>: an interrupted receive leaves a resume token on the target, and the source can
    /// continue from it with <c>zfs send -t</c>.
    /// </summary>
    public bool ReceiveResumable { get; init; }

    /// <summary><c>zfs receive -u</c>: received filesystems are not mounted (until the switch mounts them).</summary>
    public bool ReceiveUnmounted { get; init; }

    /// <summary><c>zfs receive -A</c> can discard an interrupted receive's state on the target.</summary>
    public bool CanAbortResumableReceive { get; init; }

    /// <summary>
    /// The target mounts what it receives (no <c>-u</c>), which modifies a copy without changing its data, so an
    /// incremental receive into a read-only copy the engine owns rolls it back first (<see cref="ZfsReceiveMode.OwnedCopy"/>).
    /// </summary>
    public bool RollBackOwnedCopies { get; init; }

    /// <summary>
    /// The target's mounted filesystems must be remounted after a receive before their files are read, or
    /// reads may return stale data (zfs-fuse).
    /// </summary>
    public bool RemountAfterReceive { get; init; }

    /// <summary>
    /// Send a dataset tree as one stream per dataset (<c>-p</c>, incrementals with <c>-i</c>) rather than one
    /// replication stream (<c>-R</c>, <c>-I</c>). Measured on zfs-fuse: when the reader of a <c>-R</c> or
    /// <c>-I</c> stream goes away, the holds the send placed on its snapshots stay, and those snapshots cannot
    /// be destroyed until the pool is exported; a <c>-p</c> or <c>-i</c> stream ends cleanly.
    /// </summary>
    public bool SendOneDatasetAtATime { get; init; }

    /// <summary>
    /// Run <c>zfs send</c> so that ending its command never kills it (<see cref="ZfsSendCommand.HoldGuardScript"/>).
    /// Measured on zfs-fuse: a send killed while its reader stalls leaves the hold it placed on its snapshot
    /// (<c>.send-PID-N</c>) until the pool is exported, and that snapshot cannot be destroyed; a send that fails on a
    /// broken pipe releases it.
    /// </summary>
    public bool GuardSendHolds { get; init; }
}
