using MigrationTools.Engine.Workloads;

namespace MigrationTools.Engine.Migrations;

/// <summary>
/// An undo that keeps what the workload changed on the destination, under way: the workload moves back as it runs
/// now. Kept in the record from the undo's start to its end, so that a rerun after a crash continues it (the source's
/// datasets may already hold the destination's changes, and its frozen tree is gone) rather than discarding anything.
/// </summary>
/// <param name="CheckpointedProcess">
/// The destination's process tree as this undo checkpointed it (left frozen there until the source runs it);
/// <see langword="null"/> until the checkpoint is whole, and in restart mode.
/// </param>
public sealed record WorkloadReturn(WorkloadProcess? CheckpointedProcess);
