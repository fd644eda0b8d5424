using MigrationTools.Engine.Zfs;

namespace MigrationTools.Engine.Migrations;

/// <summary>One dataset a migration would move, and roughly how much.</summary>
/// <param name="Source">The dataset on the source host.</param>
/// <param name="Target">Where its copy goes on the destination host.</param>
/// <param name="UsedBytes">The bytes it uses on the source, its children included; -1 when it does not exist.</param>
/// <param name="EstimatedBytes">The bytes the first, full copy is expected to send (the data referenced, without snapshots' history).</param>
public sealed record DatasetEstimate(DatasetName Source, DatasetName Target, long UsedBytes, long EstimatedBytes);
