namespace MigrationTools.Engine.Workloads;

/// <summary>How a stop ended.</summary>
public enum WorkloadStopResult
{
    /// <summary>No recorded process was running; nothing was signalled.</summary>
    NotRunning,

    /// <summary>The tree ended after SIGTERM, within the grace period.</summary>
    Terminated,

    /// <summary>
    /// The tree was ended with SIGKILL: it outlived the grace period, there was none, or it was frozen. The init of
    /// a PID namespace ignores SIGTERM unless it handles it, so a program without a handler always ends this way.
    /// </summary>
    Killed,
}
