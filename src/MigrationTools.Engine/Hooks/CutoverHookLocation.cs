namespace MigrationTools.Engine.Hooks;

/// <summary>Where a <see cref="CutoverHook"/> runs.</summary>
public enum CutoverHookLocation
{
    /// <summary>On the machine that drives the migration.</summary>
    Controller,

    /// <summary>On the host the workload leaves, over ssh.</summary>
    Source,

    /// <summary>On the host the workload moves to, over ssh.</summary>
    Destination,
}
