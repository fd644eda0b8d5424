namespace MigrationTools.Engine.Migrations;

/// <summary>Where a migration stands. <see cref="MigrationStateMachine"/> holds the legal moves between states.</summary>
public enum MigrationState
{
    /// <summary>Recorded, nothing done on any host yet.</summary>
    Created,

    /// <summary>The first full copy of the datasets reached the destination.</summary>
    Begun,

    /// <summary>At least one incremental sync round completed; the workload still runs on the source.</summary>
    Synced,

    /// <summary>The workload is frozen and crossing to the destination.</summary>
    Switching,

    /// <summary>The workload runs on the destination; the source copy is kept for undo.</summary>
    Switched,

    /// <summary>Finished: the destination owns the workload for good.</summary>
    Completed,

    /// <summary>Given up before the switch; the source still owns the workload.</summary>
    Aborted,

    /// <summary>The switch was undone; the source owns the workload again.</summary>
    RolledBack,

    /// <summary>No consistent state could be reached without a person; <see cref="MigrationRecord.LastError"/> says what to do.</summary>
    Failed,
}
