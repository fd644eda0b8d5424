namespace MigrationTools.Engine.Migrations;

/// <summary>A step of a migration, as recorded in <see cref="MigrationRecord.Phases"/>.</summary>
public enum MigrationPhase
{
    /// <summary>The first snapshot and full stream.</summary>
    Begin,

    /// <summary>One incremental sync round.</summary>
    Sync,

    /// <summary>Freeze, final delta, checkpoint images, restore and health check.</summary>
    Switch,

    /// <summary>Releasing the source copy once the destination is accepted.</summary>
    Complete,

    /// <summary>Returning a switched workload to the source.</summary>
    Undo,

    /// <summary>Giving up before the switch.</summary>
    Abort,
}
