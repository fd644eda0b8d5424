namespace MigrationTools.Engine.Zfs;

/// <summary>Whether <c>zfs receive</c> may roll the target back first (<c>-F</c>); see <see cref="ZfsReceiveCommand.Create"/>.</summary>
internal enum ZfsReceiveMode
{
    /// <summary>
    /// Never roll back: an incremental receive fails with "destination has been modified" if anything changed
    /// on the target since its newest snapshot.
    /// </summary>
    Normal,

    /// <summary>
    /// The target is a read-only copy the engine owns (its <c>migrationtools:</c> properties say so) and
    /// <see cref="CommonSnapshot.FindNewest"/> found it not diverged. Where the target mounts what it receives
    /// (<see cref="ZfsReplicationPlan.RollBackOwnedCopies"/>), <c>-F</c> is added: mounting a child dataset
    /// writes its mountpoint into the parent, and reading files updates access times, so such a copy always
    /// looks modified though its data is not. Elsewhere this is <see cref="Normal"/>.
    /// </summary>
    OwnedCopy,

    /// <summary>
    /// Destructive, only on a person's explicit request: always <c>-F</c>. The target is rolled back to its newest
    /// snapshot, discarding every change made since, and with a replication stream the snapshots and child
    /// datasets the source no longer has are destroyed on the target.
    /// </summary>
    ForceRollback,
}
