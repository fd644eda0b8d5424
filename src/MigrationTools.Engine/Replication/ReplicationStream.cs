using MigrationTools.Engine.Zfs;

namespace MigrationTools.Engine.Replication;

/// <summary>One stream of a round: a source dataset (with its children when <see cref="IncludeChildren"/>) into its target.</summary>
internal sealed record ReplicationStream(DatasetName Source, DatasetName Target, CommonSnapshotResult Common, bool IncludeChildren, ZfsReceiveMode Mode)
{
    /// <summary>Whether the stream carries the dataset's properties; false only for a single dataset whose copy has them already.</summary>
    public bool SendsProperties { get; init; } = true;

    /// <summary>Whether the stream sends from a common snapshot (and could leave its properties out).</summary>
    public bool IsIncremental => Common.State == CommonSnapshotState.Found;

    /// <summary>What to send to bring the target to <paramref name="snapshotShortName"/>: incremental from the common snapshot, or whole.</summary>
    public ZfsSendRequest Request(string snapshotShortName)
    {
        var to = Source.Snapshot(snapshotShortName);
        var request = IsIncremental
            ? ZfsSendRequest.Incremental(Common.Source!.Name, to, IncludeChildren)
            : ZfsSendRequest.Full(to, IncludeChildren);
        return SendsProperties ? request : request.WithoutProperties();
    }

    /// <summary>Where <paramref name="source"/>, inside <paramref name="request"/>'s tree, lands on the target.</summary>
    public static DatasetName TargetOf(ReplicationRequest request, DatasetName source) =>
        source == request.Source
            ? request.Target
            : DatasetName.Parse(request.Target.Value + source.Value.Substring(request.Source.Value.Length));
}
