using System;
using System.Collections.Generic;
using System.Linq;

namespace MigrationTools.Engine.Zfs;

/// <summary>Finds where a target dataset's history meets its source's, by snapshot GUID (names can lie).</summary>
public static class CommonSnapshot
{
    /// <summary>
    /// The newest snapshot present on both sides, matched by GUID and taken as newest in the source's
    /// creation (<c>createtxg</c>) order; and whether the target has diverged from the source.
    /// </summary>
    /// <param name="source">The source dataset's snapshots, in any order.</param>
    /// <param name="target">The target dataset's snapshots, in any order; <see langword="null"/> when the target dataset does not exist.</param>
    /// <returns>The result; never throws for a divergence, which is a state of the result.</returns>
    public static CommonSnapshotResult FindNewest(IEnumerable<ZfsSnapshot> source, IEnumerable<ZfsSnapshot>? target)
    {
        if (source is null)
        {
            throw new ArgumentNullException(nameof(source));
        }

        var sourceOrdered = source.OrderBy(s => s.CreateTxg).ToArray();
        if (target is null)
        {
            return new CommonSnapshotResult(
                CommonSnapshotState.TargetMissing, null, null, sourceOrdered, Array.Empty<ZfsSnapshot>(), Array.Empty<string>());
        }

        var targetOrdered = target.OrderBy(s => s.CreateTxg).ToArray();
        var targetByGuid = new Dictionary<ulong, ZfsSnapshot>();
        foreach (var snapshot in targetOrdered)
        {
            targetByGuid[snapshot.Guid] = snapshot;
        }

        var sourceGuids = new HashSet<ulong>(sourceOrdered.Select(s => s.Guid));
        var conflicts = targetOrdered
            .Where(t => !sourceGuids.Contains(t.Guid))
            .Select(t => t.Name.ShortName)
            .Intersect(sourceOrdered.Where(s => !targetByGuid.ContainsKey(s.Guid)).Select(s => s.Name.ShortName), StringComparer.Ordinal)
            .ToArray();

        for (var i = sourceOrdered.Length - 1; i >= 0; i--)
        {
            if (!targetByGuid.TryGetValue(sourceOrdered[i].Guid, out var common))
            {
                continue;
            }

            var sourceAfter = sourceOrdered.Skip(i + 1).ToArray();
            var targetAfter = targetOrdered.Where(t => t.CreateTxg > common.CreateTxg).ToArray();
            var state = targetAfter.Length == 0 ? CommonSnapshotState.Found : CommonSnapshotState.TargetAhead;
            return new CommonSnapshotResult(state, sourceOrdered[i], common, sourceAfter, targetAfter, conflicts);
        }

        return new CommonSnapshotResult(
            CommonSnapshotState.NoCommonSnapshot, null, null, sourceOrdered, targetOrdered, conflicts);
    }
}
