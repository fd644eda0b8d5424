using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using MigrationTools.Engine.Preflight;
using MigrationTools.Engine.Remote;
using MigrationTools.Engine.Transfer;
using MigrationTools.Engine.Zfs;

namespace MigrationTools.Engine.Replication;

/// <summary>The checks a replication runs before it changes anything; each says what it found and what to do.</summary>
internal static class ReplicationPreflight
{
    public const string SourceReachable = "SourceReachable";
    public const string TargetReachable = "TargetReachable";
    public const string SourceZfs = "SourceZfs";
    public const string TargetZfs = "TargetZfs";
    public const string DistinctDatasets = "DistinctDatasets";
    public const string SourceDatasetExists = "SourceDatasetExists";
    public const string TargetPoolExists = "TargetPoolExists";
    public const string TargetParentExists = "TargetParentExists";
    public const string TargetState = "TargetState";
    public const string TargetFreeSpace = "TargetFreeSpace";
    public const string Compression = "Compression";
    public const string DirectRoute = "DirectRoute";
    public const string DirectBandwidthLimit = "DirectBandwidthLimit";

    private static readonly string[] RouteProbeOptions = { "-o", "ConnectTimeout=10" };

    public static async Task<PreflightReport> RunAsync(ZfsReplicator replicator, ReplicationRequest request, CancellationToken cancellationToken)
    {
        if (request is null)
        {
            throw new ArgumentNullException(nameof(request));
        }

        var checks = new List<PreflightCheck>();
        var source = replicator.Source;
        var target = replicator.Target;
        var sourceName = source.Connection.Destination.ToString();
        var targetName = target.Connection.Destination.ToString();

        var sourceUp = await ReachAsync(source, SourceReachable, SourceZfs, checks, cancellationToken).ConfigureAwait(false);
        var targetUp = await ReachAsync(target, TargetReachable, TargetZfs, checks, cancellationToken).ConfigureAwait(false);

        if (source.Connection.Destination == target.Connection.Destination && request.Source == request.Target)
        {
            checks.Add(PreflightCheck.Fail(DistinctDatasets,
                $"The source and the target are both {request.Source} on {sourceName}: give another target host or dataset.", request.Target.Value));
            return new PreflightReport(checks);
        }

        ZfsDataset? sourceRoot = null;
        if (sourceUp)
        {
            sourceRoot = await ZfsReplicator.ListRootAsync(source, request.Source, request.IncludeChildren, cancellationToken).ConfigureAwait(false);
            checks.Add(sourceRoot is null
                ? PreflightCheck.Fail(SourceDatasetExists,
                    $"{request.Source} does not exist on {sourceName}; check the name with 'zfs list' there.", request.Source.Value)
                : PreflightCheck.Pass(SourceDatasetExists,
                    $"{request.Source} exists on {sourceName} ({ByteSize.Format(sourceRoot.Used)} used, {sourceRoot.Snapshots.Count} snapshot(s)).",
                    request.Source.Value));
        }

        if (targetUp)
        {
            await CheckTargetAsync(target, request, sourceRoot, checks, cancellationToken).ConfigureAwait(false);
        }

        if (sourceUp && targetUp)
        {
            await CheckOptionsAsync(replicator, request, checks, cancellationToken).ConfigureAwait(false);
        }

        return new PreflightReport(checks);
    }

    private static async Task<bool> ReachAsync(ZfsHost host, string reachName, string zfsName, List<PreflightCheck> checks, CancellationToken cancellationToken)
    {
        var name = host.Connection.Destination.ToString();
        try
        {
            await host.Connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            checks.Add(PreflightCheck.Pass(reachName, $"{name} answers over ssh.", name));
        }
        catch (RemoteException exception)
        {
            checks.Add(PreflightCheck.Fail(reachName, exception.Message, name));
            return false;
        }

        try
        {
            var capabilities = await host.GetCapabilitiesAsync(cancellationToken).ConfigureAwait(false);
            checks.Add(PreflightCheck.Pass(zfsName,
                $"{name} has {(capabilities.IsLegacy ? "legacy ZFS (no resumable or unmounted receive)" : "modern OpenZFS")}.", name));
            return true;
        }
        catch (RemoteException exception)
        {
            checks.Add(PreflightCheck.Fail(zfsName,
                $"zfs does not work on {name}: {exception.Message} Install OpenZFS (or zfs-fuse) there.", name));
            return false;
        }
    }

    private static async Task CheckTargetAsync(
        ZfsHost target, ReplicationRequest request, ZfsDataset? sourceRoot, List<PreflightCheck> checks, CancellationToken cancellationToken)
    {
        var name = target.Connection.Destination.ToString();
        var pool = request.Target.Pool;
        long free;
        try
        {
            free = await target.GetPoolFreeSpaceAsync(pool, cancellationToken).ConfigureAwait(false);
            checks.Add(PreflightCheck.Pass(TargetPoolExists, $"Pool {pool} exists on {name} with {ByteSize.Format(free)} free.", pool.Value));
        }
        catch (ZfsCommandException exception) when (exception.Failure == ZfsFailure.DoesNotExist)
        {
            checks.Add(PreflightCheck.Fail(TargetPoolExists,
                $"There is no pool {pool} on {name}; create it, or give a target dataset in one of its pools ('zpool list').", pool.Value));
            return;
        }

        var parent = request.Target.Parent;
        if (parent is not null && !parent.IsRoot)
        {
            checks.Add(await target.ExistsAsync(parent, cancellationToken).ConfigureAwait(false)
                ? PreflightCheck.Pass(TargetParentExists, $"{parent} exists on {name}.", parent.Value)
                : PreflightCheck.Fail(TargetParentExists,
                    $"{parent} does not exist on {name}, and a received dataset needs its parent: create it with 'zfs create -p {parent}'.",
                    parent.Value));
        }

        var targetRoot = await ZfsReplicator.ListRootAsync(target, request.Target, recursive: false, cancellationToken).ConfigureAwait(false);
        if (sourceRoot is null)
        {
            return;
        }

        var common = CommonSnapshot.FindNewest(sourceRoot.Snapshots, targetRoot?.Snapshots);
        checks.Add(!common.IsDiverged
            ? PreflightCheck.Pass(TargetState, common.Describe(), request.Target.Value)
            : request.Force
                ? PreflightCheck.Pass(TargetState,
                    common.Describe() + " Force was given: the target will be " +
                    (common.State == CommonSnapshotState.NoCommonSnapshot ? "destroyed and sent again in full." : "rolled back to the common snapshot."),
                    request.Target.Value)
                : PreflightCheck.Fail(TargetState,
                    common.Describe() + " Nothing will be changed: choose another target dataset, or use Force if its data may be lost.",
                    request.Target.Value));

        if (common.State is CommonSnapshotState.TargetMissing or CommonSnapshotState.NoCommonSnapshot)
        {
            // A full replication stream carries every snapshot: the source's used space bounds it.
            checks.Add(free >= sourceRoot.Used
                ? PreflightCheck.Pass(TargetFreeSpace,
                    $"{ByteSize.Format(free)} free on {name} for a full copy of about {ByteSize.Format(sourceRoot.Used)}.", pool.Value)
                : PreflightCheck.Fail(TargetFreeSpace,
                    $"A full copy needs about {ByteSize.Format(sourceRoot.Used)} but pool {pool} on {name} has {ByteSize.Format(free)} free; " +
                    "free space there or choose another pool.", pool.Value));
        }
        else
        {
            checks.Add(PreflightCheck.Pass(TargetFreeSpace,
                $"{ByteSize.Format(free)} free on {name}; an incremental copy needs only what changed since {common.Source?.Name.ShortName}.", pool.Value));
        }
    }

    private static async Task CheckOptionsAsync(ZfsReplicator replicator, ReplicationRequest request, List<PreflightCheck> checks, CancellationToken cancellationToken)
    {
        var source = replicator.Source;
        if (request.Compression != StreamCompression.None)
        {
            try
            {
                var resolved = await replicator.Tools.ResolveCompressionAsync(request.Compression, cancellationToken).ConfigureAwait(false);
                checks.Add(PreflightCheck.Pass(Compression, $"The stream will travel with {resolved} compression."));
            }
            catch (ReplicationRefusedException exception)
            {
                checks.Add(PreflightCheck.Fail(Compression, exception.Message));
            }
        }

        if (request.Path != TransferPath.Direct)
        {
            return;
        }

        var peer = request.DirectPeer ?? replicator.Target.Connection.Destination;
        // Run through sh so the inner ssh's failure reads as this command's output, not as the controller's own ssh failing.
        var argv = new List<string> { "sh", "-c", "ssh \"$@\" 2>&1; echo \"mt-exit $?\"", "sh" };
        argv.AddRange(DirectTransfer.PeerSshArguments(peer, RouteProbeOptions).Skip(1));
        argv.Add("true");
        var route = (await source.Connection.RunAsync(RemoteCommand.Create(argv), cancellationToken).ConfigureAwait(false)).Text.Trim();
        var sourceName = source.Connection.Destination.ToString();
        var marker = route.LastIndexOf("mt-exit", StringComparison.Ordinal);
        var said = marker >= 0 ? route.Substring(0, marker).Trim() : route;
        checks.Add(route.EndsWith("mt-exit 0", StringComparison.Ordinal)
            ? PreflightCheck.Pass(DirectRoute, $"{sourceName} can ssh to {peer} by itself.", peer.ToString())
            : PreflightCheck.Fail(DirectRoute,
                $"{sourceName} cannot ssh to {peer} by itself: {said} " +
                $"The direct path needs, on {sourceName}, " +
                $"a key {peer} accepts and {peer}'s host key in known_hosts (verify its fingerprint, then ssh-keyscan it there); " +
                "or use the relay path, which needs no trust between the hosts.", peer.ToString()));

        if (request.BandwidthLimit is not null)
        {
            checks.Add(await replicator.Tools.HasToolAsync(source, "pv", cancellationToken).ConfigureAwait(false)
                ? PreflightCheck.Pass(DirectBandwidthLimit, $"{sourceName} has pv to hold the stream to {request.BandwidthLimit}/s.")
                : PreflightCheck.Fail(DirectBandwidthLimit,
                    $"A bandwidth limit on the direct path is applied on {sourceName} with pv, which it lacks: install pv there, or use the relay path."));
        }
    }
}
