using MigrationTools.Engine.Zfs;

namespace MigrationTools.Engine.Migrations;

/// <summary>How far one dataset's copy has come.</summary>
/// <param name="Source">The dataset on the source host.</param>
/// <param name="Target">Its copy on the destination host.</param>
/// <param name="CommonSnapshot">The short name (after <c>@</c>) of the newest snapshot both hold; <see langword="null"/> before the first copy.</param>
/// <param name="CommonSnapshotGuid">That snapshot's GUID, which identifies it on both hosts; <see langword="null"/> before the first copy.</param>
/// <param name="BytesTotal">The bytes sent for this dataset so far.</param>
public sealed record DatasetProgress(
    DatasetName Source, DatasetName Target, string? CommonSnapshot, ulong? CommonSnapshotGuid, long BytesTotal);
