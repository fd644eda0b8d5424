namespace MigrationTools.Engine.Hooks;

/// <summary>When a <see cref="CutoverHook"/> runs during a switch.</summary>
public enum CutoverStage
{
    /// <summary>Before the workload is frozen or stopped; a failure cancels the switch and the source keeps running.</summary>
    BeforeFreeze,

    /// <summary>After the workload runs healthy on the destination and the switch is committed; a failure is reported only.</summary>
    AfterCommit,
}
