using System.Collections.Generic;

namespace MigrationTools.Engine.Migrations;

/// <summary>What one replication round of every dataset left: each dataset's progress, and the bytes it sent.</summary>
internal sealed record ReplicatedDatasets(IReadOnlyList<DatasetProgress> Datasets, long Bytes);
