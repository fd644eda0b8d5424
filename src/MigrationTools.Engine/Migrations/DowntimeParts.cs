using System;

namespace MigrationTools.Engine.Migrations;

/// <summary>Where the switch's downtime went; a part is <see langword="null"/> when it was not measured or did not happen.</summary>
public sealed record DowntimeParts
{
    /// <summary>Checkpointing the process tree.</summary>
    public TimeSpan? Dump { get; init; }

    /// <summary>Sending the last incremental stream.</summary>
    public TimeSpan? FinalDelta { get; init; }

    /// <summary>Shipping the checkpoint images.</summary>
    public TimeSpan? ImageTransfer { get; init; }

    /// <summary>Restoring or starting the workload on the destination.</summary>
    public TimeSpan? Restore { get; init; }

    /// <summary>Waiting for the health check to pass.</summary>
    public TimeSpan? Health { get; init; }
}
