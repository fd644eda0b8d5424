using MigrationTools.Engine.Criu;
using MigrationTools.Engine.Migrations;

namespace MigrationTools.Engine.Placement;

/// <summary>Where a migration's checkpoint images live.</summary>
internal static class CheckpointImages
{
    /// <summary>Where the switch keeps the checkpoint, on both hosts: one directory per migration, found again after a crash.</summary>
    public static CriuImageDirectory Of(MigrationRecord record) =>
        CriuImageDirectory.Parse(CriuImageDirectory.DefaultParent + "/" + record.Workload.Value + "-" + record.Id.Value);
}
