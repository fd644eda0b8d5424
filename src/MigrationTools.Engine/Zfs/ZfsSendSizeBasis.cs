namespace MigrationTools.Engine.Zfs;

/// <summary>What a <see cref="ZfsSendSizeEstimate"/> rests on, so a progress display can say how far to trust it.</summary>
public enum ZfsSendSizeBasis
{
    /// <summary>No estimate.</summary>
    Unknown,

    /// <summary>ZFS's own dry run (<c>zfs send -n -P</c>): close to the real stream size.</summary>
    DryRun,

    /// <summary>
    /// The <c>referenced</c> space of the snapshot sent: about a full stream's size (more when the data is
    /// compressed on disk, since a legacy stream is not).
    /// </summary>
    Referenced,

    /// <summary>
    /// The <c>used</c> space of the datasets, snapshots included: a rough upper bound, not an estimate of the
    /// stream itself.
    /// </summary>
    Used,
}
