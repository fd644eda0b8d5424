namespace MigrationTools.Engine.Zfs;

/// <summary>How a target dataset's snapshots relate to its source's (see <see cref="CommonSnapshot.FindNewest"/>).</summary>
public enum CommonSnapshotState
{
    /// <summary>The target dataset does not exist: a full stream is needed.</summary>
    TargetMissing,

    /// <summary>Both sides share a snapshot and the target has nothing newer: an incremental stream from it applies.</summary>
    Found,

    /// <summary>Diverged: the target has snapshots newer than the newest common one.</summary>
    TargetAhead,

    /// <summary>Diverged: the target dataset exists but shares no snapshot with the source.</summary>
    NoCommonSnapshot,
}
