using System.Collections.Generic;
using System.Linq;

namespace MigrationTools.Engine.Zfs;

/// <summary>What <see cref="CommonSnapshot.FindNewest"/> found: the newest snapshot both sides share, or why there is none.</summary>
/// <param name="State">How the two sides relate.</param>
/// <param name="Source">The newest common snapshot as the source has it; <see langword="null"/> when none.</param>
/// <param name="Target">The same snapshot as the target has it (same GUID, possibly another name); <see langword="null"/> when none.</param>
/// <param name="SourceAfter">The source's snapshots newer than the common one, oldest first (all of them when there is none).</param>
/// <param name="TargetAfter">
/// The target's snapshots newer than the common one, oldest first (all of them when there is none): empty unless diverged.
/// </param>
/// <param name="ConflictingNames">Short names both sides have for snapshots with different GUIDs: not the same snapshot.</param>
public sealed record CommonSnapshotResult(
    CommonSnapshotState State,
    ZfsSnapshot? Source,
    ZfsSnapshot? Target,
    IReadOnlyList<ZfsSnapshot> SourceAfter,
    IReadOnlyList<ZfsSnapshot> TargetAfter,
    IReadOnlyList<string> ConflictingNames)
{
    /// <summary>True when the target cannot be brought up to date without discarding something on it.</summary>
    public bool IsDiverged => State is CommonSnapshotState.TargetAhead or CommonSnapshotState.NoCommonSnapshot;

    /// <summary>True when both sides share the source's newest snapshot: nothing to send.</summary>
    public bool IsUpToDate => State == CommonSnapshotState.Found && SourceAfter.Count == 0;

    /// <summary>One sentence for a person: what was found and what it means.</summary>
    /// <returns>The description.</returns>
    public string Describe() => State switch
    {
        CommonSnapshotState.TargetMissing => "The target dataset does not exist; a full stream is needed.",
        CommonSnapshotState.Found when SourceAfter.Count == 0 =>
            $"The target is up to date at {Source!.Name.ShortName}.",
        CommonSnapshotState.Found =>
            $"The newest common snapshot is {Source!.Name.ShortName}; {SourceAfter.Count} newer snapshot(s) remain to send.",
        CommonSnapshotState.TargetAhead =>
            $"The target has diverged: it has {TargetAfter.Count} snapshot(s) newer than the newest common one, {Source!.Name.ShortName} " +
            $"({string.Join(", ", TargetAfter.Select(s => s.Name.ShortName))}).",
        _ => "The target dataset exists but shares no snapshot with the source (matched by GUID)" +
            (ConflictingNames.Count > 0 ? $"; same names, different snapshots: {string.Join(", ", ConflictingNames)}." : "."),
    };
}
