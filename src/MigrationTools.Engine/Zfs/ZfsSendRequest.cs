using System;
using MigrationTools.Engine.Remote;

namespace MigrationTools.Engine.Zfs;

/// <summary>What a <c>zfs send</c> stream carries: a full snapshot, or the changes between two snapshots of one dataset.</summary>
public sealed record ZfsSendRequest
{
    private ZfsSendRequest(SnapshotName snapshot, SnapshotName? from, bool includeChildren)
    {
        Snapshot = snapshot;
        From = from;
        IncludeChildren = includeChildren;
    }

    /// <summary>The snapshot the stream brings the target to.</summary>
    public SnapshotName Snapshot { get; }

    /// <summary>The snapshot both sides already have, for an incremental stream; <see langword="null"/> for a full one.</summary>
    public SnapshotName? From { get; }

    /// <summary>
    /// True to carry the child datasets' snapshots of the same name too, with every snapshot and property
    /// (a replication stream, <c>-R</c>).
    /// </summary>
    public bool IncludeChildren { get; }

    /// <summary>True for an incremental stream.</summary>
    public bool IsIncremental => From is not null;

    /// <summary>
    /// Whether a single dataset's stream carries its properties (<c>-p</c>); true unless <see cref="WithoutProperties"/>
    /// said otherwise. A replication stream (<see cref="IncludeChildren"/>) always carries them.
    /// </summary>
    public bool SendsProperties { get; private init; } = true;

    /// <summary>
    /// The same stream without the dataset's properties: the data only, for a target whose properties are known to be
    /// the source's already. Receiving properties costs a legacy host a moment per stream.
    /// </summary>
    /// <returns>The request.</returns>
    /// <exception cref="InvalidOperationException">The stream is a replication stream, which always carries properties.</exception>
    internal ZfsSendRequest WithoutProperties() =>
        IncludeChildren
            ? throw new InvalidOperationException($"A replication stream ({this}) always carries its properties.")
            : this with { SendsProperties = false };

    /// <summary>A full stream of <paramref name="snapshot"/>.</summary>
    /// <param name="snapshot">The snapshot.</param>
    /// <param name="includeChildren">Also carry the children's snapshots of that name (and all earlier snapshots).</param>
    /// <returns>The request.</returns>
    public static ZfsSendRequest Full(SnapshotName snapshot, bool includeChildren) =>
        new(snapshot ?? throw new ArgumentNullException(nameof(snapshot)), null, includeChildren);

    /// <summary>
    /// An incremental stream from <paramref name="from"/> to <paramref name="to"/>, with every snapshot between
    /// them (<c>-I</c>).
    /// </summary>
    /// <param name="from">The snapshot the target already has.</param>
    /// <param name="to">The newer snapshot, of the same dataset.</param>
    /// <param name="includeChildren">Also carry the children's snapshots of those names.</param>
    /// <returns>The request.</returns>
    /// <exception cref="ArgumentException">The snapshots belong to different datasets or are the same snapshot.</exception>
    public static ZfsSendRequest Incremental(SnapshotName from, SnapshotName to, bool includeChildren)
    {
        if (from is null)
        {
            throw new ArgumentNullException(nameof(from));
        }

        if (to is null)
        {
            throw new ArgumentNullException(nameof(to));
        }

        if (from.Dataset != to.Dataset)
        {
            throw new ArgumentException(
                $"An incremental stream goes between two snapshots of one dataset; {SafeText.Show(from.Value)} and {SafeText.Show(to.Value)} belong to different datasets.",
                nameof(from));
        }

        if (from == to)
        {
            throw new ArgumentException(
                $"An incremental stream needs two different snapshots; both are {SafeText.Show(to.Value)}.", nameof(from));
        }

        return new ZfsSendRequest(to, from, includeChildren);
    }

    /// <summary>A short description, such as <c>tank/a@1 -&gt; tank/a@2 (with children)</c>.</summary>
    /// <returns>The description.</returns>
    public override string ToString() =>
        (From is null ? "full " + Snapshot.Value : From.Value + " -> " + Snapshot.Value) + (IncludeChildren ? " (with children)" : "");
}
