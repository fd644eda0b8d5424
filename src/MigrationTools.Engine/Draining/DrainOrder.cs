namespace MigrationTools.Engine.Draining;

/// <summary>Which waiting work of a drain starts next.</summary>
public enum DrainOrder
{
    /// <summary>The smallest estimated transfer first (the default): many workloads are off the host early.</summary>
    SmallestFirst = 0,

    /// <summary>The largest estimated transfer first: the long moves start while the throttle is still full.</summary>
    LargestFirst,

    /// <summary>In the order the work was added.</summary>
    AsGiven,
}
