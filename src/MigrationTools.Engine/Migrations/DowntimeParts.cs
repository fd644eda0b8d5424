using System;
using System.Collections.Generic;
using MigrationTools.Engine.Criu;

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

    /// <summary>How a live switch moved the memory; <see langword="null"/> for a restart or an unmeasured switch.</summary>
    public MemoryTransfer? MemoryTransfer { get; init; }

    /// <summary>
    /// After a post-copy restore, how long the destination took to pull the pages it did not have yet. The workload
    /// already served then, so this is not part of the downtime; the source stayed frozen, able to resume, until it ended.
    /// </summary>
    public TimeSpan? PostCopy { get; init; }

    /// <summary>
    /// Before the freeze, how long the pre-copy rounds took. The workload ran meanwhile, so this is not part of the
    /// downtime; <see langword="null"/> when no round ran.
    /// </summary>
    public TimeSpan? PreCopy { get; init; }

    /// <summary>The pages each pre-copy round wrote (-1 when CRIU did not say); <see langword="null"/> when no round ran.</summary>
    public IReadOnlyList<long>? PreCopyPages { get; init; }
}
