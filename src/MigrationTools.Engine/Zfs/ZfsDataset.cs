using System;
using System.Collections.Generic;

namespace MigrationTools.Engine.Zfs;

/// <summary>One filesystem or volume and its snapshots, as <c>zfs get -H -p</c> reports them.</summary>
/// <param name="Name">The dataset's name.</param>
/// <param name="Type">Filesystem or volume.</param>
/// <param name="Guid">Its GUID.</param>
/// <param name="CreateTxg">The transaction group it was created (or received) in.</param>
/// <param name="Creation">When it was created (whole seconds).</param>
/// <param name="Used">Bytes used by it, its snapshots and its children.</param>
/// <param name="Available">Bytes it can still use.</param>
/// <param name="Referenced">Bytes of data it refers to.</param>
/// <param name="Mountpoint">Its mountpoint: a path, <c>legacy</c> or <c>none</c>; <see langword="null"/> for a volume.</param>
/// <param name="Mounted">True when it is mounted.</param>
/// <param name="ReadOnly">
/// The <c>readonly</c> property as set, not as a mount option overrides it: zfs-fuse reports <c>readonly=on</c>
/// as "off, temporary" while mounted, yet refuses writes.
/// </param>
/// <param name="Snapshots">Its snapshots, oldest first (by <c>createtxg</c>).</param>
#pragma warning disable CA1720 // "Guid" is the ZFS property's name; the value is a 64-bit number, not a System.Guid.
public sealed record ZfsDataset(
    DatasetName Name,
    ZfsDatasetType Type,
    ulong Guid,
#pragma warning restore CA1720
    ulong CreateTxg,
    DateTimeOffset Creation,
    long Used,
    long Available,
    long Referenced,
    string? Mountpoint,
    bool Mounted,
    bool ReadOnly,
    IReadOnlyList<ZfsSnapshot> Snapshots)
{
    /// <summary>The snapshot with the short name <paramref name="shortName"/>, or <see langword="null"/>.</summary>
    /// <param name="shortName">The part after <c>@</c>.</param>
    /// <returns>The snapshot, or <see langword="null"/> when the dataset has none by that name.</returns>
    public ZfsSnapshot? FindSnapshot(string shortName)
    {
        foreach (var snapshot in Snapshots)
        {
            if (string.Equals(snapshot.Name.ShortName, shortName, StringComparison.Ordinal))
            {
                return snapshot;
            }
        }

        return null;
    }
}
