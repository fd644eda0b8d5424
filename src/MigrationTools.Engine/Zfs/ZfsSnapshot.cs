using System;

namespace MigrationTools.Engine.Zfs;

/// <summary>One snapshot as <c>zfs get -H -p</c> reports it.</summary>
/// <param name="Name">The snapshot's name.</param>
/// <param name="Guid">Its GUID: the same on every host a stream carried it to, unlike its name.</param>
/// <param name="CreateTxg">The transaction group it was taken in; orders snapshots of one dataset on one host.</param>
/// <param name="Creation">When it was taken (whole seconds).</param>
/// <param name="UserRefs">How many holds it carries; <see langword="null"/> when not reported.</param>
/// <param name="Used">Bytes only this snapshot holds (freed if it alone were destroyed).</param>
/// <param name="Referenced">Bytes of data it refers to.</param>
#pragma warning disable CA1720 // "Guid" is the ZFS property's name; the value is a 64-bit number, not a System.Guid.
public sealed record ZfsSnapshot(
    SnapshotName Name,
    ulong Guid,
#pragma warning restore CA1720
    ulong CreateTxg,
    DateTimeOffset Creation,
    long? UserRefs,
    long Used,
    long Referenced)
{
    /// <summary>True when at least one hold keeps the snapshot from being destroyed.</summary>
    public bool IsHeld => UserRefs > 0;
}
