using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using MigrationTools.Engine.Remote;

namespace MigrationTools.Engine.Zfs;

/// <summary>
/// ZFS on one host, driven through its <see cref="SshConnection"/>: capabilities, listings, snapshots, holds,
/// user properties, mounts, streams and cleanup. Every command is built from validated names and values as an
/// argument list. Safe for concurrent use.
/// </summary>
/// <remarks>
/// Operations that may be repeated by a re-run step are idempotent where ZFS allows it: they report whether
/// they changed anything instead of failing when the work is already done. A failing <c>zfs</c> command
/// throws <see cref="ZfsCommandException"/>, whose <see cref="ZfsCommandException.Failure"/> says what kind of
/// failure it was.
/// </remarks>
public sealed class ZfsHost
{
    // zfs-fuse reports "dataset is busy" for a moment after a filesystem was last used.
    private static readonly TimeSpan[] BusyRetryDelays =
    {
        TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2),
    };

    private ZfsCapabilities? _capabilities;

    /// <summary>Creates a driver over <paramref name="connection"/>, which it uses but does not own.</summary>
    /// <param name="connection">The host's connection.</param>
    public ZfsHost(SshConnection connection) =>
        Connection = connection ?? throw new ArgumentNullException(nameof(connection));

    /// <summary>The connection commands run through.</summary>
    public SshConnection Connection { get; }

    /// <summary>
    /// What this host's <c>zfs</c> can do, detected on first use from its usage texts and then cached.
    /// </summary>
    /// <param name="cancellationToken">Stops the detection.</param>
    /// <returns>The capabilities.</returns>
    /// <exception cref="ZfsCommandException"><c>zfs</c> is missing or unrecognised (<see cref="ZfsFailure.Unavailable"/>).</exception>
    public async Task<ZfsCapabilities> GetCapabilitiesAsync(CancellationToken cancellationToken = default)
    {
        if (Volatile.Read(ref _capabilities) is { } known)
        {
            return known;
        }

        // Both print their usage on standard error and exit with status 2 by design.
        var usage = await Connection.ExecuteAsync(RemoteCommand.Create("zfs"), cancellationToken).ConfigureAwait(false);
        if (ZfsCommandException.Classify(usage.ExitCode, usage.StandardError) == ZfsFailure.Unavailable)
        {
            throw new ZfsCommandException(ZfsFailure.Unavailable, usage.Host, usage.Command, usage.ExitCode, usage.StandardError);
        }

        var properties = await Connection.ExecuteAsync(RemoteCommand.Create("zfs", "get"), cancellationToken).ConfigureAwait(false);
        ZfsCapabilities capabilities;
        try
        {
            capabilities = ZfsCapabilities.Parse(usage.StandardError + usage.Text, properties.StandardError + properties.Text);
        }
        catch (FormatException e)
        {
            throw new ZfsCommandException(
                $"The zfs on {usage.Host} is not one the engine recognises: {e.Message}", e);
        }

        // Detection is idempotent, so two racing callers may both detect; either result is the same.
        Volatile.Write(ref _capabilities, capabilities);
        return capabilities;
    }

    /// <summary>Plans streams from this host to <paramref name="target"/> (see <see cref="ZfsReplicationPlanner"/>).</summary>
    /// <param name="target">The receiving host.</param>
    /// <param name="cancellationToken">Stops the detection of either host's capabilities.</param>
    /// <returns>The plan.</returns>
    public async Task<ZfsReplicationPlan> PlanTransferToAsync(ZfsHost target, CancellationToken cancellationToken = default)
    {
        if (target is null)
        {
            throw new ArgumentNullException(nameof(target));
        }

        var source = await GetCapabilitiesAsync(cancellationToken).ConfigureAwait(false);
        return ZfsReplicationPlanner.Plan(source, await target.GetCapabilitiesAsync(cancellationToken).ConfigureAwait(false));
    }

    /// <summary>Lists <paramref name="dataset"/>, with its children when asked, and their snapshots.</summary>
    /// <param name="dataset">The dataset.</param>
    /// <param name="recursive">Include every descendant dataset.</param>
    /// <param name="cancellationToken">Stops the command.</param>
    /// <returns>The listing; <see cref="ZfsListing.Empty"/> when the dataset does not exist.</returns>
    public async Task<ZfsListing> ListAsync(DatasetName dataset, bool recursive = true, CancellationToken cancellationToken = default)
    {
        if (dataset is null)
        {
            throw new ArgumentNullException(nameof(dataset));
        }

        // -d 1 is the depth that reaches a dataset's snapshots; it brings its direct children along.
        var argv = new List<string> { "zfs", "get", "-H", "-p" };
        if (recursive)
        {
            argv.Add("-r");
        }
        else
        {
            argv.Add("-d");
            argv.Add("1");
        }

        argv.Add("-o");
        argv.Add(ZfsPropertyRow.Columns);
        argv.Add(ZfsListing.Properties);
        argv.Add(dataset.Value);
        var result = await Connection.ExecuteAsync(RemoteCommand.Create(argv), cancellationToken).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            var failure = ZfsCommandException.From(result);
            return failure.Failure == ZfsFailure.DoesNotExist ? ZfsListing.Empty : throw failure;
        }

        var listing = ZfsListing.Parse(result.Text);
        if (recursive)
        {
            return listing;
        }

        return new ZfsListing(
            listing.Datasets.Where(d => d.Name == dataset).ToArray(),
            listing.UnsupportedNames.Where(n => n.StartsWith(dataset.Value + "@", StringComparison.Ordinal)).ToArray());
    }

    /// <summary>One dataset and its snapshots, without its children.</summary>
    /// <param name="dataset">The dataset.</param>
    /// <param name="cancellationToken">Stops the command.</param>
    /// <returns>The dataset, or <see langword="null"/> when it does not exist.</returns>
    public async Task<ZfsDataset?> GetDatasetAsync(DatasetName dataset, CancellationToken cancellationToken = default) =>
        (await ListAsync(dataset, recursive: false, cancellationToken).ConfigureAwait(false)).Find(dataset);

    /// <summary>True when the dataset exists.</summary>
    /// <param name="dataset">The dataset.</param>
    /// <param name="cancellationToken">Stops the command.</param>
    /// <returns>True when it exists.</returns>
    public Task<bool> ExistsAsync(DatasetName dataset, CancellationToken cancellationToken = default) =>
        ExistsAsync((dataset ?? throw new ArgumentNullException(nameof(dataset))).Value, cancellationToken);

    /// <summary>True when the snapshot exists.</summary>
    /// <param name="snapshot">The snapshot.</param>
    /// <param name="cancellationToken">Stops the command.</param>
    /// <returns>True when it exists.</returns>
    public Task<bool> ExistsAsync(SnapshotName snapshot, CancellationToken cancellationToken = default) =>
        ExistsAsync((snapshot ?? throw new ArgumentNullException(nameof(snapshot))).Value, cancellationToken);

    /// <summary>
    /// The bytes the pool's datasets can still use: the <c>available</c> property of its root dataset, which
    /// (unlike the pool's raw free space) leaves out reservations and the space ZFS keeps back.
    /// </summary>
    /// <param name="pool">The pool.</param>
    /// <param name="cancellationToken">Stops the command.</param>
    /// <returns>The free space in bytes.</returns>
    public async Task<long> GetPoolFreeSpaceAsync(PoolName pool, CancellationToken cancellationToken = default)
    {
        if (pool is null)
        {
            throw new ArgumentNullException(nameof(pool));
        }

        // zpool's -p (parsable values) is missing on zfs-fuse; zfs get -p exists everywhere.
        var result = await RunAsync(
            RemoteCommand.Create("zfs", "get", "-H", "-p", "-o", "value", "available", pool.Value), cancellationToken).ConfigureAwait(false);
        var text = result.Text.Trim();
        return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var bytes)
            ? bytes
            : throw new FormatException($"zfs get available {pool.Value} printed {SafeText.Show(text)}, not a number of bytes.");
    }

    /// <summary>Takes a snapshot.</summary>
    /// <param name="snapshot">The snapshot to take.</param>
    /// <param name="recursive">Also take the snapshot of that name of every descendant, atomically (<c>-r</c>).</param>
    /// <param name="cancellationToken">Stops the command.</param>
    /// <returns>A task that completes when the snapshot exists.</returns>
    /// <exception cref="ZfsCommandException">It failed; <see cref="ZfsFailure.AlreadyExists"/> when the name is taken.</exception>
    public Task CreateSnapshotAsync(SnapshotName snapshot, bool recursive = false, CancellationToken cancellationToken = default) =>
        RunAsync(Zfs("snapshot", recursive ? "-r" : null, (snapshot ?? throw new ArgumentNullException(nameof(snapshot))).Value), cancellationToken);

    /// <summary>Destroys a snapshot.</summary>
    /// <param name="snapshot">The snapshot.</param>
    /// <param name="recursive">Also destroy the snapshots of that name of every descendant (<c>-r</c>).</param>
    /// <param name="cancellationToken">Stops the command.</param>
    /// <returns>True when destroyed; false when it did not exist.</returns>
    /// <exception cref="ZfsCommandException">It failed; <see cref="ZfsFailure.Busy"/> while a hold keeps it.</exception>
    public async Task<bool> DestroySnapshotAsync(SnapshotName snapshot, bool recursive = false, CancellationToken cancellationToken = default)
    {
        if (snapshot is null)
        {
            throw new ArgumentNullException(nameof(snapshot));
        }

        var result = await Connection.ExecuteAsync(Zfs("destroy", recursive ? "-r" : null, snapshot.Value), cancellationToken).ConfigureAwait(false);
        return Changed(result, ZfsFailure.DoesNotExist);
    }

    /// <summary>
    /// Rolls a dataset back to <paramref name="snapshot"/>, its newest snapshot, discarding what was written since;
    /// refused by ZFS when newer snapshots exist (they are never destroyed here).
    /// </summary>
    /// <param name="snapshot">The snapshot to return to.</param>
    /// <param name="cancellationToken">Stops the command.</param>
    /// <returns>A task that completes when the dataset is back at the snapshot.</returns>
    /// <exception cref="ZfsCommandException">It failed.</exception>
    public Task RollbackAsync(SnapshotName snapshot, CancellationToken cancellationToken = default) =>
        RunAsync(Zfs("rollback", null, (snapshot ?? throw new ArgumentNullException(nameof(snapshot))).Value), cancellationToken);

    /// <summary>
    /// Places a hold with <paramref name="tag"/> on a snapshot, so it cannot be destroyed until released.
    /// Repeating it is harmless.
    /// </summary>
    /// <param name="snapshot">The snapshot.</param>
    /// <param name="tag">The hold's tag.</param>
    /// <param name="recursive">Also hold the snapshots of that name of every descendant.</param>
    /// <param name="cancellationToken">Stops the commands.</param>
    /// <returns>True when a hold was placed; false when every snapshot already carried the tag.</returns>
    public async Task<bool> HoldAsync(SnapshotName snapshot, ZfsHoldTag tag, bool recursive = false, CancellationToken cancellationToken = default) =>
        await HoldOrReleaseAsync("hold", ZfsFailure.TagAlreadyExists, snapshot, tag, recursive, cancellationToken).ConfigureAwait(false);

    /// <summary>Releases the hold with <paramref name="tag"/>. Repeating it is harmless.</summary>
    /// <param name="snapshot">The snapshot.</param>
    /// <param name="tag">The hold's tag.</param>
    /// <param name="recursive">Also release it on the snapshots of that name of every descendant.</param>
    /// <param name="cancellationToken">Stops the commands.</param>
    /// <returns>True when a hold was released; false when no snapshot carried the tag.</returns>
    public async Task<bool> ReleaseAsync(SnapshotName snapshot, ZfsHoldTag tag, bool recursive = false, CancellationToken cancellationToken = default) =>
        await HoldOrReleaseAsync("release", ZfsFailure.NoSuchTag, snapshot, tag, recursive, cancellationToken).ConfigureAwait(false);

    /// <summary>A user property's value on a dataset, set there or inherited.</summary>
    /// <param name="dataset">The dataset.</param>
    /// <param name="name">The property.</param>
    /// <param name="cancellationToken">Stops the command.</param>
    /// <returns>The value and its source, or <see langword="null"/> when neither the dataset nor an ancestor sets it.</returns>
    /// <exception cref="ZfsCommandException">It failed; <see cref="ZfsFailure.DoesNotExist"/> when the dataset does not exist.</exception>
    public async Task<ZfsUserProperty?> GetUserPropertyAsync(
        DatasetName dataset, ZfsUserPropertyName name, CancellationToken cancellationToken = default)
    {
        if (dataset is null)
        {
            throw new ArgumentNullException(nameof(dataset));
        }

        if (name is null)
        {
            throw new ArgumentNullException(nameof(name));
        }

        var result = await RunAsync(
            RemoteCommand.Create("zfs", "get", "-H", "-p", "-o", ZfsPropertyRow.Columns, name.Value, dataset.Value),
            cancellationToken).ConfigureAwait(false);
        return ZfsPropertyRow.ParseAll(result.Text).Select(row => ToUserProperty(dataset, row)).FirstOrDefault(p => p is not null);
    }

    /// <summary>Every user property that has a value on a dataset, set there, inherited or received.</summary>
    /// <param name="dataset">The dataset.</param>
    /// <param name="cancellationToken">Stops the command.</param>
    /// <returns>The properties, in the order ZFS lists them.</returns>
    public async Task<IReadOnlyList<ZfsUserProperty>> GetUserPropertiesAsync(DatasetName dataset, CancellationToken cancellationToken = default)
    {
        if (dataset is null)
        {
            throw new ArgumentNullException(nameof(dataset));
        }

        return (await GetPropertiesAsync(new[] { dataset }, cancellationToken).ConfigureAwait(false))
            .Select(row => ToUserProperty(dataset, row))
            .Where(p => p is not null)
            .Select(p => p!)
            .ToArray();
    }

    /// <summary>Every property of <paramref name="datasets"/>, with where each value comes from, in one command.</summary>
    /// <param name="datasets">The datasets.</param>
    /// <param name="cancellationToken">Stops the command.</param>
    /// <returns>The rows of <c>zfs get all</c>, named by dataset.</returns>
    /// <exception cref="ZfsCommandException">The command failed, for example because a dataset does not exist.</exception>
    internal async Task<IReadOnlyList<ZfsPropertyRow>> GetPropertiesAsync(IReadOnlyList<DatasetName> datasets, CancellationToken cancellationToken)
    {
        var argv = new List<string> { "zfs", "get", "-H", "-p", "-o", ZfsPropertyRow.Columns, "all" };
        argv.AddRange(datasets.Select(d => d.Value));
        var result = await RunAsync(RemoteCommand.Create(argv), cancellationToken).ConfigureAwait(false);
        return ZfsPropertyRow.ParseAll(result.Text);
    }

    /// <summary>Sets a user property on a dataset; its descendants inherit it unless they set their own.</summary>
    /// <param name="dataset">The dataset.</param>
    /// <param name="name">The property.</param>
    /// <param name="value">The value.</param>
    /// <param name="cancellationToken">Stops the command.</param>
    /// <returns>A task that completes when the property is set.</returns>
    public Task SetUserPropertyAsync(
        DatasetName dataset, ZfsUserPropertyName name, ZfsUserPropertyValue value, CancellationToken cancellationToken = default)
    {
        if (dataset is null)
        {
            throw new ArgumentNullException(nameof(dataset));
        }

        if (name is null)
        {
            throw new ArgumentNullException(nameof(name));
        }

        if (value is null)
        {
            throw new ArgumentNullException(nameof(value));
        }

        // One argument word: zfs splits it at the first '=', and a valid name holds none.
        return RunAsync(RemoteCommand.Create("zfs", "set", name.Value + "=" + value.Value, dataset.Value), cancellationToken);
    }

    /// <summary>
    /// Removes a user property set on a dataset, so that it inherits its parent's value, or has none.
    /// </summary>
    /// <param name="dataset">The dataset.</param>
    /// <param name="name">The property.</param>
    /// <param name="recursive">Remove it from every descendant too.</param>
    /// <param name="cancellationToken">Stops the command.</param>
    /// <returns>A task that completes when the property is cleared.</returns>
    public Task InheritUserPropertyAsync(
        DatasetName dataset, ZfsUserPropertyName name, bool recursive = false, CancellationToken cancellationToken = default)
    {
        if (dataset is null)
        {
            throw new ArgumentNullException(nameof(dataset));
        }

        if (name is null)
        {
            throw new ArgumentNullException(nameof(name));
        }

        return RunAsync(Zfs("inherit", recursive ? "-r" : null, name.Value, dataset.Value), cancellationToken);
    }

    /// <summary>Sets the <c>readonly</c> property of a dataset; its descendants inherit it.</summary>
    /// <param name="dataset">The dataset.</param>
    /// <param name="readOnly">True for <c>readonly=on</c>.</param>
    /// <param name="cancellationToken">Stops the command.</param>
    /// <returns>A task that completes when the property is set.</returns>
    /// <remarks>
    /// On zfs-fuse a mounted filesystem refuses writes (and access-time updates) at once, yet
    /// <c>zfs get readonly</c> then shows "off" with source "temporary", from the FUSE mount's <c>rw</c> option;
    /// <see cref="ZfsDataset.ReadOnly"/> reports the property as set.
    /// </remarks>
    public Task SetReadOnlyAsync(DatasetName dataset, bool readOnly, CancellationToken cancellationToken = default) =>
        RunAsync(
            RemoteCommand.Create("zfs", "set", readOnly ? "readonly=on" : "readonly=off", (dataset ?? throw new ArgumentNullException(nameof(dataset))).Value),
            cancellationToken);

    /// <summary>Mounts a filesystem. Repeating it is harmless.</summary>
    /// <param name="dataset">The filesystem.</param>
    /// <param name="cancellationToken">Stops the command.</param>
    /// <returns>True when mounted now; false when it already was.</returns>
    public async Task<bool> MountAsync(DatasetName dataset, CancellationToken cancellationToken = default)
    {
        if (dataset is null)
        {
            throw new ArgumentNullException(nameof(dataset));
        }

        var result = await Connection.ExecuteAsync(RemoteCommand.Create("zfs", "mount", dataset.Value), cancellationToken).ConfigureAwait(false);
        return Changed(result, ZfsFailure.AlreadyMounted);
    }

    /// <summary>Unmounts a filesystem, retrying briefly while it is busy. Repeating it is harmless.</summary>
    /// <param name="dataset">The filesystem.</param>
    /// <param name="cancellationToken">Stops the command.</param>
    /// <returns>True when unmounted now; false when it was not mounted.</returns>
    public async Task<bool> UnmountAsync(DatasetName dataset, CancellationToken cancellationToken = default)
    {
        if (dataset is null)
        {
            throw new ArgumentNullException(nameof(dataset));
        }

        var result = await ExecuteRetryingBusyAsync(RemoteCommand.Create("zfs", "unmount", dataset.Value), cancellationToken).ConfigureAwait(false);
        return Changed(result, ZfsFailure.NotMounted);
    }

    /// <summary>
    /// Unmounts and mounts again the mounted filesystems of <paramref name="dataset"/> (children first, then
    /// parents first), so that a legacy host serves what was last received rather than stale pages
    /// (<see cref="ZfsReplicationPlan.RemountAfterReceive"/>).
    /// </summary>
    /// <param name="dataset">The filesystem.</param>
    /// <param name="recursive">Also remount its mounted descendants.</param>
    /// <param name="cancellationToken">Stops the commands.</param>
    /// <returns>The filesystems remounted.</returns>
    public async Task<IReadOnlyList<DatasetName>> RemountAsync(DatasetName dataset, bool recursive = true, CancellationToken cancellationToken = default)
    {
        var listing = await ListAsync(dataset, recursive, cancellationToken).ConfigureAwait(false);
        var mounted = listing.Datasets.Where(d => d.Type == ZfsDatasetType.Filesystem && d.Mounted).Select(d => d.Name).ToArray();

        // Parents precede their children in a listing, so the reverse order unmounts children first.
        foreach (var name in Enumerable.Reverse(mounted))
        {
            await UnmountAsync(name, cancellationToken).ConfigureAwait(false);
        }

        foreach (var name in mounted)
        {
            await MountAsync(name, cancellationToken).ConfigureAwait(false);
        }

        return mounted;
    }

    /// <summary>The GUIDs of <paramref name="snapshots"/>, in one command.</summary>
    /// <param name="snapshots">The snapshots.</param>
    /// <param name="cancellationToken">Stops the command.</param>
    /// <returns>Each snapshot that exists, with its GUID; one that does not is absent.</returns>
    /// <exception cref="ZfsCommandException">The command failed for another reason.</exception>
    public async Task<IReadOnlyDictionary<SnapshotName, ulong>> GetSnapshotGuidsAsync(
        IReadOnlyList<SnapshotName> snapshots, CancellationToken cancellationToken = default)
    {
        if (snapshots is null || snapshots.Count == 0)
        {
            throw new ArgumentException("At least one snapshot is needed.", nameof(snapshots));
        }

        return ParseGuids(await Connection.ExecuteAsync(RemoteCommand.Create(ZfsSnapshotGuids.Arguments(snapshots)), cancellationToken).ConfigureAwait(false));
    }

    /// <summary>
    /// Settles a copy right after a receive, in one command: <paramref name="root"/> made read-only (or writable, when
    /// <paramref name="writable"/>), the filesystems in
    /// <paramref name="remount"/> unmounted (children first) and mounted again, and the GUIDs of the received
    /// <paramref name="snapshots"/> read.
    /// </summary>
    /// <param name="root">The copy's root.</param>
    /// <param name="writable">Leave the copy writable, for the workload that takes it over; read-only otherwise.</param>
    /// <param name="remount">Mounted filesystems of the copy to remount, parents first; empty for none.</param>
    /// <param name="snapshots">The snapshots just received.</param>
    /// <param name="cancellationToken">Stops the command.</param>
    /// <returns>Each of <paramref name="snapshots"/> that exists, with its GUID.</returns>
    /// <exception cref="ZfsCommandException">Setting readonly, an unmount or a mount failed.</exception>
    public async Task<IReadOnlyDictionary<SnapshotName, ulong>> SettleReceivedCopyAsync(
        DatasetName root, bool writable, IReadOnlyList<DatasetName> remount, IReadOnlyList<SnapshotName> snapshots, CancellationToken cancellationToken = default) =>
        ParseGuids(await Connection.ExecuteAsync(ZfsReceivedCopyCommand.Create(root, writable, remount ?? Array.Empty<DatasetName>(), snapshots), cancellationToken)
            .ConfigureAwait(false));

    /// <summary>The resume token an interrupted resumable receive left on <paramref name="dataset"/>.</summary>
    /// <param name="dataset">The receive's target.</param>
    /// <param name="cancellationToken">Stops the command.</param>
    /// <returns>The token, or <see langword="null"/> when there is none or this host's zfs has no resumable receives.</returns>
    public async Task<ZfsResumeToken?> GetResumeTokenAsync(DatasetName dataset, CancellationToken cancellationToken = default)
    {
        if (dataset is null)
        {
            throw new ArgumentNullException(nameof(dataset));
        }

        if (!(await GetCapabilitiesAsync(cancellationToken).ConfigureAwait(false)).HasResumeTokenProperty)
        {
            return null;
        }

        var result = await RunAsync(
            RemoteCommand.Create("zfs", "get", "-H", "-p", "-o", "value", "receive_resume_token", dataset.Value),
            cancellationToken).ConfigureAwait(false);
        var text = result.Text.Trim();
        return text.Length == 0 || text == "-"
            ? null
            : ZfsResumeToken.TryParse(text, out var token)
                ? token
                : throw new FormatException($"The receive_resume_token of {dataset.Value} is {SafeText.Show(text)}, which is not a resume token.");
    }

    /// <summary>Discards the state an interrupted resumable receive left on <paramref name="dataset"/>.</summary>
    /// <param name="dataset">The receive's target.</param>
    /// <param name="cancellationToken">Stops the command.</param>
    /// <returns>True when state was discarded; false when there was none or this host's zfs cannot resume receives.</returns>
    public async Task<bool> AbortResumableReceiveAsync(DatasetName dataset, CancellationToken cancellationToken = default)
    {
        if (dataset is null)
        {
            throw new ArgumentNullException(nameof(dataset));
        }

        if (!(await GetCapabilitiesAsync(cancellationToken).ConfigureAwait(false)).CanAbortResumableReceive)
        {
            return false;
        }

        var result = await Connection.ExecuteAsync(ZfsReceiveCommand.Abort(dataset), cancellationToken).ConfigureAwait(false);
        return Changed(result, ZfsFailure.NoResumableState);
    }

    /// <summary>
    /// Destroys a dataset with its snapshots and descendants (<c>zfs destroy -r</c>), retrying briefly while it
    /// is busy. A held snapshot keeps it busy for good: release the hold first.
    /// </summary>
    /// <param name="dataset">The dataset; never a pool's root dataset.</param>
    /// <param name="cancellationToken">Stops the commands.</param>
    /// <returns>True when destroyed; false when it did not exist.</returns>
    /// <exception cref="ArgumentException"><paramref name="dataset"/> is a pool's root dataset.</exception>
    public async Task<bool> DestroyRecursiveAsync(DatasetName dataset, CancellationToken cancellationToken = default)
    {
        if (dataset is null)
        {
            throw new ArgumentNullException(nameof(dataset));
        }

        if (dataset.IsRoot)
        {
            throw new ArgumentException($"Refusing to destroy {dataset.Value}: it is a pool's root dataset.", nameof(dataset));
        }

        var result = await ExecuteRetryingBusyAsync(RemoteCommand.Create("zfs", "destroy", "-r", dataset.Value), cancellationToken).ConfigureAwait(false);
        return Changed(result, ZfsFailure.DoesNotExist);
    }

    /// <summary>
    /// The expected size of a stream from this host, from ZFS's own dry run where it has one
    /// (<see cref="ZfsReplicationPlan.CanEstimateSize"/>); otherwise <see cref="ZfsSendSizeEstimate.Unknown"/>, and
    /// <see cref="ZfsSendSizeEstimate.FromSpaceUsage"/> gives a labelled fallback.
    /// </summary>
    /// <param name="request">What would be sent.</param>
    /// <param name="plan">The plan the stream would be sent with.</param>
    /// <param name="cancellationToken">Stops the command.</param>
    /// <returns>The estimate.</returns>
    public async Task<ZfsSendSizeEstimate> EstimateSendSizeAsync(
        ZfsSendRequest request, ZfsReplicationPlan plan, CancellationToken cancellationToken = default)
    {
        if (plan is null)
        {
            throw new ArgumentNullException(nameof(plan));
        }

        if (!plan.CanEstimateSize)
        {
            return ZfsSendSizeEstimate.Unknown;
        }

        var result = await RunAsync(ZfsSendCommand.Estimate(request, plan), cancellationToken).ConfigureAwait(false);
        return ZfsSendSizeEstimate.ParseDryRun(result.Text);
    }

    /// <summary>Starts <c>zfs send</c>; the stream is read from the returned source's output.</summary>
    /// <param name="request">What to send.</param>
    /// <param name="plan">The plan for this host and the target.</param>
    /// <param name="cancellationToken">Ends the command, here and on the host, for as long as it runs.</param>
    /// <returns>The running command.</returns>
    public Task<RemoteSource> StartSendAsync(ZfsSendRequest request, ZfsReplicationPlan plan, CancellationToken cancellationToken = default) =>
        Connection.StartSourceAsync(ZfsSendCommand.Create(request, plan), cancellationToken);

    /// <summary>Starts <c>zfs send -t</c>, continuing an interrupted stream from the target's resume token.</summary>
    /// <param name="token">The target's resume token.</param>
    /// <param name="plan">The plan for this host and the target.</param>
    /// <param name="cancellationToken">Ends the command, here and on the host, for as long as it runs.</param>
    /// <returns>The running command.</returns>
    public Task<RemoteSource> StartResumedSendAsync(ZfsResumeToken token, ZfsReplicationPlan plan, CancellationToken cancellationToken = default) =>
        Connection.StartSourceAsync(ZfsSendCommand.Resume(token, plan), cancellationToken);

    /// <summary>Starts <c>zfs receive</c>; the stream is written to the returned sink's input.</summary>
    /// <param name="target">The dataset to receive into.</param>
    /// <param name="plan">The plan for the source and this host.</param>
    /// <param name="mode">Whether the target may be rolled back first; see <see cref="ZfsReceiveMode"/>.</param>
    /// <param name="cancellationToken">Ends the command, here and on the host, for as long as it runs.</param>
    /// <returns>The running command.</returns>
    public Task<RemoteSink> StartReceiveAsync(
        DatasetName target, ZfsReplicationPlan plan, ZfsReceiveMode mode = ZfsReceiveMode.Normal, CancellationToken cancellationToken = default) =>
        Connection.StartSinkAsync(ZfsReceiveCommand.Create(target, plan, mode), cancellationToken);

    /// <summary>A short description: the host.</summary>
    /// <returns>The description.</returns>
    public override string ToString() => "zfs on " + Connection.Destination;

    private static RemoteCommand Zfs(string subcommand, string? option, params string[] arguments)
    {
        var argv = new List<string> { "zfs", subcommand };
        if (option is not null)
        {
            argv.Add(option);
        }

        argv.AddRange(arguments);
        return RemoteCommand.Create(argv);
    }

    private static ZfsUserProperty? ToUserProperty(DatasetName dataset, ZfsPropertyRow row)
    {
        var source = row.ParseSource(out var inheritedFrom);
        return source != ZfsPropertySource.None && ZfsUserPropertyName.TryParse(row.Property, out var name)
            ? new ZfsUserProperty(dataset, name!, row.Value, source, inheritedFrom)
            : null;
    }

    // True on success, false when the command failed only because its work was already done
    // (or, for a question, because the answer is no).
    private static bool Changed(RemoteResult result, ZfsFailure alreadyDone)
    {
        if (result.Succeeded)
        {
            return true;
        }

        var failure = ZfsCommandException.From(result);
        return failure.Failure == alreadyDone ? false : throw failure;
    }

    // zfs get prints the snapshots it found and fails for the one it did not: absent from the answer, not an error.
    private static IReadOnlyDictionary<SnapshotName, ulong> ParseGuids(RemoteResult result) =>
        result.Succeeded || ZfsCommandException.Classify(result.ExitCode, result.StandardError) == ZfsFailure.DoesNotExist
            ? ZfsSnapshotGuids.Parse(result.Text)
            : throw ZfsCommandException.From(result);

    private async Task<bool> ExistsAsync(string name, CancellationToken cancellationToken)
    {
        var result = await Connection.ExecuteAsync(
            RemoteCommand.Create("zfs", "get", "-H", "-o", "value", "type", name), cancellationToken).ConfigureAwait(false);
        return Changed(result, ZfsFailure.DoesNotExist);
    }

    private async Task<RemoteResult> RunAsync(RemoteCommand command, CancellationToken cancellationToken)
    {
        var result = await Connection.ExecuteAsync(command, cancellationToken).ConfigureAwait(false);
        return result.Succeeded ? result : throw ZfsCommandException.From(result);
    }

    private async Task<RemoteResult> ExecuteRetryingBusyAsync(RemoteCommand command, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            var result = await Connection.ExecuteAsync(command, cancellationToken).ConfigureAwait(false);
            if (result.Succeeded
                || attempt == BusyRetryDelays.Length
                || ZfsCommandException.Classify(result.ExitCode, result.StandardError) != ZfsFailure.Busy)
            {
                return result;
            }

            await Task.Delay(BusyRetryDelays[attempt], cancellationToken).ConfigureAwait(false);
        }
    }

    // Holds and releases are atomic over a recursive set: one snapshot already in the wanted state fails
    // them all. Then each snapshot is handled alone, so a repeated or half-done call still converges.
    private async Task<bool> HoldOrReleaseAsync(
        string verb, ZfsFailure alreadyDone, SnapshotName snapshot, ZfsHoldTag tag, bool recursive, CancellationToken cancellationToken)
    {
        if (snapshot is null)
        {
            throw new ArgumentNullException(nameof(snapshot));
        }

        if (tag is null)
        {
            throw new ArgumentNullException(nameof(tag));
        }

        var result = await Connection.ExecuteAsync(Zfs(verb, recursive ? "-r" : null, tag.Value, snapshot.Value), cancellationToken).ConfigureAwait(false);
        if (Changed(result, alreadyDone) || !recursive)
        {
            return result.Succeeded;
        }

        var listing = await ListAsync(snapshot.Dataset, recursive: true, cancellationToken).ConfigureAwait(false);
        var changed = false;
        foreach (var dataset in listing.Datasets)
        {
            if (dataset.FindSnapshot(snapshot.ShortName) is { } one)
            {
                var single = await Connection.ExecuteAsync(Zfs(verb, null, tag.Value, one.Name.Value), cancellationToken).ConfigureAwait(false);
                changed |= Changed(single, alreadyDone);
            }
        }

        return changed;
    }
}
