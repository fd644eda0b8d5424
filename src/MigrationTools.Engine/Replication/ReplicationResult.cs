using System;
using MigrationTools.Engine.Transfer;
using MigrationTools.Engine.Zfs;

namespace MigrationTools.Engine.Replication;

/// <summary>One replication round that reached the target whole.</summary>
/// <param name="Snapshot">The snapshot the target now has (the source's name for it).</param>
/// <param name="From">The common snapshot the stream was incremental from; <see langword="null"/> for a full stream.</param>
/// <param name="Guid">The snapshot's GUID, the same on both hosts.</param>
/// <param name="Bytes">The stream's size on the wire.</param>
/// <param name="Elapsed">The time the stream took.</param>
/// <param name="Path">Which way the stream went.</param>
/// <param name="Compression">The compression used on the wire.</param>
/// <param name="Estimate">The size expected beforehand, with what it rested on.</param>
#pragma warning disable CA1720 // "Guid" is the ZFS property's name; the value is a 64-bit number, not a System.Guid.
public sealed record ReplicationResult(
    SnapshotName Snapshot,
    SnapshotName? From,
    ulong Guid,
#pragma warning restore CA1720
    long Bytes,
    TimeSpan Elapsed,
    TransferPath Path,
    StreamCompression Compression,
    ZfsSendSizeEstimate Estimate)
{
    /// <summary>True for an incremental stream.</summary>
    public bool IsIncremental => From is not null;
}
