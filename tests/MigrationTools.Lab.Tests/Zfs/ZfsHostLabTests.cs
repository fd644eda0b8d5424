using MigrationTools.Engine.Remote;
using MigrationTools.Engine.Transfer;
using MigrationTools.Engine.Zfs;
using MigrationTools.Lab.Tests.Lab;

namespace MigrationTools.Lab.Tests.Zfs;

/// <summary>The ZFS driver against the lab's zfs-fuse hosts, over the engine's own ssh connections.</summary>
[Collection(LabCollection.Name)]
public sealed class ZfsHostLabTests : IDisposable
{
    private static readonly TimeSpan TestTimeout = TimeSpan.FromMinutes(3);
    private static readonly ZfsHoldTag Tag = ZfsHoldTag.Parse("mt-lab");
    private static readonly ZfsUserPropertyName MigrationProperty = ZfsUserPropertyName.Parse("migrationtools:migration");

    private readonly LabFixture _lab;
    private readonly string _controlDirectory = "/tmp/mt-lab-" + Guid.NewGuid().ToString("N")[..8];
    private readonly List<SshConnection> _connections = [];
    private readonly CancellationTokenSource _timeout = new(TestTimeout);

    public ZfsHostLabTests(LabFixture lab) => _lab = lab;

    private CancellationToken Token => _timeout.Token;

    public void Dispose()
    {
        foreach (var connection in _connections)
        {
            connection.Dispose();
        }

        _timeout.Dispose();
        if (Directory.Exists(_controlDirectory))
        {
            Directory.Delete(_controlDirectory, recursive: true);
        }
    }

    [LabFact]
    public async Task CapabilitiesAreDetectedAsLegacyOnceAndPlannedBasic()
    {
        var h1 = Host("h1");
        var h2 = Host("h2");

        var capabilities = await h1.GetCapabilitiesAsync(Token);
        var plan = await h1.PlanTransferToAsync(h2, Token);

        Assert.True(capabilities.IsLegacy);
        Assert.Equal("DIRip", capabilities.SendOptions);
        Assert.Equal("Fdnv", capabilities.ReceiveOptions);
        Assert.False(capabilities.CanEstimateSendSize);
        Assert.False(capabilities.HasResumeTokenProperty);
        Assert.False(capabilities.HasWrittenProperty);
        Assert.False(capabilities.CanListHolds);
        Assert.True(capabilities.HasProperty("userrefs"));
        Assert.Same(capabilities, await h1.GetCapabilitiesAsync(Token));
        Assert.Equal(ZfsReplicationPlan.Basic with { RollBackOwnedCopies = true, RemountAfterReceive = true, SendOneDatasetAtATime = true, GuardSendHolds = true }, plan);
    }

    [LabFact]
    public async Task ListsADatasetAndItsChildWithGuidsAndSnapshotsInOrder()
    {
        var h1 = Host("h1");
        var dataset = NewDataset();
        var child = dataset.Child("child");
        try
        {
            await _lab.SshCheckedAsync("h1", $"zfs create {dataset} && zfs create {child}");
            await h1.CreateSnapshotAsync(dataset.Snapshot("a"), recursive: true, Token);
            await h1.CreateSnapshotAsync(dataset.Snapshot("b"), recursive: false, Token);
            await h1.CreateSnapshotAsync(dataset.Snapshot("c"), recursive: true, Token);

            var listing = await h1.ListAsync(dataset, recursive: true, Token);
            var alone = await h1.GetDatasetAsync(dataset, Token);

            Assert.Empty(listing.UnsupportedNames);
            Assert.Equal([dataset, child], listing.Datasets.Select(d => d.Name));
            var root = listing.Datasets[0];
            Assert.Equal(await GuidAsync("h1", dataset.Value), root.Guid);
            Assert.Equal(await GuidAsync("h1", child.Value), listing.Datasets[1].Guid);
            Assert.Equal(ZfsDatasetType.Filesystem, root.Type);
            Assert.Equal("/" + dataset.Value, root.Mountpoint);
            Assert.True(root.Mounted);
            Assert.False(root.ReadOnly);
            Assert.True(root.Available > 0);
            Assert.Equal(["a", "b", "c"], root.Snapshots.Select(s => s.Name.ShortName));
            Assert.True(root.Snapshots[0].CreateTxg < root.Snapshots[1].CreateTxg && root.Snapshots[1].CreateTxg < root.Snapshots[2].CreateTxg);
            Assert.Equal(await GuidAsync("h1", dataset.Value + "@b"), root.Snapshots[1].Guid);
            Assert.All(root.Snapshots, s => Assert.Equal(0, s.UserRefs));
            Assert.Equal(["a", "c"], listing.Datasets[1].Snapshots.Select(s => s.Name.ShortName));
            Assert.NotEqual(root.Snapshots[0].Guid, listing.Datasets[1].Snapshots[0].Guid);

            Assert.NotNull(alone);
            Assert.Equal(root.Guid, alone.Guid);
            Assert.Equal(3, alone.Snapshots.Count);
            Assert.Single((await h1.ListAsync(dataset, recursive: false, Token)).Datasets);

            Assert.True(await h1.ExistsAsync(dataset, Token));
            Assert.True(await h1.ExistsAsync(dataset.Snapshot("b"), Token));
            Assert.False(await h1.ExistsAsync(dataset.Child("nope"), Token));
            Assert.False(await h1.ExistsAsync(dataset.Snapshot("nope"), Token));
            Assert.Empty((await h1.ListAsync(dataset.Child("nope"), recursive: true, Token)).Datasets);
            Assert.Null(await h1.GetDatasetAsync(dataset.Child("nope"), Token));
            Assert.True(await h1.GetPoolFreeSpaceAsync(PoolName.Parse(_lab.Pool), Token) > 0);

            var taken = await Assert.ThrowsAsync<ZfsCommandException>(() => h1.CreateSnapshotAsync(dataset.Snapshot("a"), cancellationToken: Token));
            Assert.Equal(ZfsFailure.AlreadyExists, taken.Failure);
        }
        finally
        {
            await DestroyEverywhereAsync(dataset, "h1");
        }
    }

    [LabFact]
    public async Task AHoldPreventsDestroyAndReleasingItAllowsIt()
    {
        var h1 = Host("h1");
        var dataset = NewDataset();
        var snapshot = dataset.Snapshot("held");
        try
        {
            await _lab.SshCheckedAsync("h1", $"zfs create {dataset} && zfs create {dataset.Child("child")}");
            await h1.CreateSnapshotAsync(snapshot, recursive: true, Token);

            Assert.True(await h1.HoldAsync(snapshot, Tag, recursive: true, Token));
            Assert.False(await h1.HoldAsync(snapshot, Tag, recursive: true, Token));
            var held = await h1.ListAsync(dataset, recursive: true, Token);
            Assert.All(held.Datasets, d => Assert.Equal(1, d.FindSnapshot("held")!.UserRefs));

            var busy = await Assert.ThrowsAsync<ZfsCommandException>(() => h1.DestroySnapshotAsync(snapshot, cancellationToken: Token));
            Assert.Equal(ZfsFailure.Busy, busy.Failure);
            Assert.True(await h1.ExistsAsync(snapshot, Token));

            Assert.True(await h1.ReleaseAsync(snapshot, Tag, recursive: true, Token));
            Assert.False(await h1.ReleaseAsync(snapshot, Tag, recursive: true, Token));
            var released = await h1.ListAsync(dataset, recursive: true, Token);
            Assert.All(released.Datasets, d => Assert.False(d.FindSnapshot("held")!.IsHeld));

            Assert.True(await h1.DestroySnapshotAsync(snapshot, recursive: true, Token));
            Assert.False(await h1.ExistsAsync(snapshot, Token));
            Assert.False(await h1.ExistsAsync(dataset.Child("child").Snapshot("held"), Token));
            Assert.False(await h1.DestroySnapshotAsync(snapshot, recursive: true, Token));
        }
        finally
        {
            await _lab.SshAsync("h1", $"zfs release -r {Tag} {snapshot}");
            await DestroyEverywhereAsync(dataset, "h1");
        }
    }

    [LabFact]
    public async Task AHalfHeldTreeIsCompletedByARepeatedRecursiveHold()
    {
        var h1 = Host("h1");
        var dataset = NewDataset();
        var snapshot = dataset.Snapshot("s");
        var childSnapshot = dataset.Child("child").Snapshot("s");
        try
        {
            await _lab.SshCheckedAsync("h1", $"zfs create {dataset} && zfs create {dataset.Child("child")} && zfs snapshot -r {snapshot}");
            await h1.HoldAsync(childSnapshot, Tag, recursive: false, Token);

            Assert.True(await h1.HoldAsync(snapshot, Tag, recursive: true, Token));

            var listing = await h1.ListAsync(dataset, recursive: true, Token);
            Assert.All(listing.Datasets, d => Assert.Equal(1, d.FindSnapshot("s")!.UserRefs));
            await h1.ReleaseAsync(snapshot, Tag, recursive: false, Token);
            Assert.True(await h1.ReleaseAsync(snapshot, Tag, recursive: true, Token));
            Assert.All((await h1.ListAsync(dataset, recursive: true, Token)).Datasets, d => Assert.Equal(0, d.FindSnapshot("s")!.UserRefs));
        }
        finally
        {
            await _lab.SshAsync("h1", $"zfs release {Tag} {snapshot}; zfs release {Tag} {childSnapshot}");
            await DestroyEverywhereAsync(dataset, "h1");
        }
    }

    [LabFact]
    public async Task UserPropertiesAreSetReadInheritedAndCleared()
    {
        var h1 = Host("h1");
        var dataset = NewDataset();
        var child = dataset.Child("child");
        var canary = "/tmp/mt-zfs-canary-" + Guid.NewGuid().ToString("N");
        var hostile = ZfsUserPropertyValue.Parse($"a=b $(touch {canary}) `touch {canary}` 'q' \"d\" h\u00e9llo");
        try
        {
            await _lab.SshCheckedAsync("h1", $"zfs create {dataset} && zfs create {child}");
            Assert.Null(await h1.GetUserPropertyAsync(dataset, MigrationProperty, Token));

            await h1.SetUserPropertyAsync(dataset, MigrationProperty, hostile, Token);

            var own = await h1.GetUserPropertyAsync(dataset, MigrationProperty, Token);
            var inherited = await h1.GetUserPropertyAsync(child, MigrationProperty, Token);
            Assert.Equal(new ZfsUserProperty(dataset, MigrationProperty, hostile.Value, ZfsPropertySource.Local, null), own);
            Assert.Equal(new ZfsUserProperty(child, MigrationProperty, hostile.Value, ZfsPropertySource.Inherited, dataset), inherited);
            Assert.Equal(1, (await _lab.SshAsync("h1", $"test -e {canary}")).ExitCode);

            var dash = ZfsUserPropertyValue.Parse("-");
            await h1.SetUserPropertyAsync(child, MigrationProperty, dash, Token);
            Assert.Equal(ZfsPropertySource.Local, (await h1.GetUserPropertyAsync(child, MigrationProperty, Token))!.Source);
            Assert.Equal("-", (await h1.GetUserPropertyAsync(child, MigrationProperty, Token))!.Value);

            await h1.InheritUserPropertyAsync(dataset, MigrationProperty, recursive: true, Token);

            Assert.Null(await h1.GetUserPropertyAsync(dataset, MigrationProperty, Token));
            Assert.Null(await h1.GetUserPropertyAsync(child, MigrationProperty, Token));
        }
        finally
        {
            await DestroyEverywhereAsync(dataset, "h1");
        }
    }

    [LabFact]
    public async Task ReadOnlyRefusesWritesAndSettlingACopyRemountsItReadOnlyOrHandsItOver()
    {
        var h1 = Host("h1");
        var dataset = NewDataset();
        var snapshot = dataset.Snapshot("s");
        try
        {
            await _lab.SshCheckedAsync("h1", $"zfs create {dataset}");
            await h1.CreateSnapshotAsync(snapshot, recursive: false, Token);

            await h1.SetReadOnlyAsync(dataset, readOnly: true, Token);

            Assert.NotEqual(0, (await _lab.SshAsync("h1", $"touch /{dataset}/f")).ExitCode);
            Assert.True((await h1.GetDatasetAsync(dataset, Token))!.ReadOnly);

            var guids = await h1.SettleReceivedCopyAsync(dataset, writable: false, [dataset], [snapshot], Token);

            Assert.Equal(await GuidAsync("h1", snapshot.Value), Assert.Single(guids, g => g.Key == snapshot).Value);
            Assert.True((await h1.GetDatasetAsync(dataset, Token))!.ReadOnly);
            Assert.True((await h1.GetDatasetAsync(dataset, Token))!.Mounted);
            Assert.NotEqual(0, (await _lab.SshAsync("h1", $"touch /{dataset}/f")).ExitCode);

            await h1.SetReadOnlyAsync(dataset, readOnly: false, Token);

            await _lab.SshCheckedAsync("h1", $"touch /{dataset}/f");
            Assert.False((await h1.GetDatasetAsync(dataset, Token))!.ReadOnly);

            // Handed over: writable after its remount; a snapshot that is not there is absent from the answer.
            await h1.SetReadOnlyAsync(dataset, readOnly: true, Token);
            var handedOver = await h1.SettleReceivedCopyAsync(dataset, writable: true, [dataset], [snapshot, dataset.Snapshot("absent")], Token);

            Assert.Equal([snapshot], handedOver.Keys);
            Assert.False((await h1.GetDatasetAsync(dataset, Token))!.ReadOnly);
            Assert.True((await h1.GetDatasetAsync(dataset, Token))!.Mounted);
            await _lab.SshCheckedAsync("h1", $"touch /{dataset}/g");
        }
        finally
        {
            await DestroyEverywhereAsync(dataset, "h1");
        }
    }

    [LabFact]
    public async Task AFullThenAnIncrementalStreamBringTheTargetToTheNewSnapshot()
    {
        var h1 = Host("h1");
        var h2 = Host("h2");
        var dataset = NewDataset();
        var child = dataset.Child("child");
        var migrationId = "lab-" + Guid.NewGuid().ToString("N")[..8];
        try
        {
            await _lab.SshCheckedAsync("h1",
                $"zfs create {dataset} && zfs create {child} && head -c 1048576 /dev/urandom > /{dataset}/data && echo one > /{child}/note");
            var plan = await h1.PlanTransferToAsync(h2, Token);
            var first = MigrationSnapshotNames.Format(dataset, migrationId, 1);
            await h1.CreateSnapshotAsync(first, recursive: true, Token);

            var source = await h1.ListAsync(dataset, recursive: true, Token);
            Assert.Equal(CommonSnapshotState.TargetMissing, CommonSnapshot.FindNewest(source.Datasets[0].Snapshots, (await h2.GetDatasetAsync(dataset, Token))?.Snapshots).State);
            var full = ZfsSendRequest.Full(first, includeChildren: true);
            Assert.Equal(ZfsSendSizeEstimate.Unknown, await h1.EstimateSendSizeAsync(full, plan, Token));
            var fallback = ZfsSendSizeEstimate.FromSpaceUsage(source, full);
            Assert.Equal(ZfsSendSizeBasis.Used, fallback.Basis);
            Assert.True(fallback.Bytes >= 1048576);

            Assert.True(await TransferAsync(h1, h2, full, dataset, plan) > 1048576);
            Assert.Equal(await GuidAsync("h1", first.Value), (await SettleCopyAsync(h2, dataset, first, plan))[first]);

            Assert.Equal(await DigestAsync("h1", $"/{dataset}/data"), await DigestAsync("h2", $"/{dataset}/data"));
            Assert.Equal("one\n", await _lab.SshCheckedAsync("h2", $"cat /{child}/note"));

            await _lab.SshCheckedAsync("h1", $"head -c 65536 /dev/urandom >> /{dataset}/data && echo two > /{child}/note");
            var sourceSnapshots = (await h1.GetDatasetAsync(dataset, Token))!.Snapshots;
            var second = MigrationSnapshotNames.Format(dataset, migrationId, MigrationSnapshotNames.NextSequence(sourceSnapshots, migrationId));
            await h1.CreateSnapshotAsync(second, recursive: true, Token);

            var before = await FindNewestAsync(h1, h2, dataset);
            Assert.Equal(CommonSnapshotState.Found, before.State);
            Assert.Equal(first, before.Source!.Name);
            Assert.Equal([second], before.SourceAfter.Select(s => s.Name));

            // Mounting the child wrote its mountpoint into the parent: the copy looks modified, so it is rolled back.
            var incremental = ZfsSendRequest.Incremental(before.Source.Name, second, includeChildren: true);
            var modified = await Assert.ThrowsAsync<TransferFailedException>(() => TransferAsync(h1, h2, incremental, dataset, plan));
            Assert.Contains("has been modified", modified.Message, StringComparison.Ordinal);
            await TransferAsync(h1, h2, incremental, dataset, plan, ZfsReceiveMode.OwnedCopy);
            Assert.Equal(await GuidAsync("h1", second.Value), (await SettleCopyAsync(h2, dataset, second, plan))[second]);

            var after = await FindNewestAsync(h1, h2, dataset);
            Assert.True(after.IsUpToDate);
            Assert.Equal(second, after.Source!.Name);
            Assert.Equal(second, after.Target!.Name);
            Assert.Equal(after.Source.Guid, after.Target.Guid);
            Assert.Equal(await GuidAsync("h1", second.Value), await GuidAsync("h2", second.Value));
            var childAfter = await FindNewestAsync(h1, h2, child);
            Assert.True(childAfter.IsUpToDate);
            Assert.Equal(child.Snapshot(second.ShortName), childAfter.Target!.Name);
            Assert.Equal(await DigestAsync("h1", $"/{dataset}/data"), await DigestAsync("h2", $"/{dataset}/data"));
            Assert.Equal("two\n", await _lab.SshCheckedAsync("h2", $"cat /{child}/note"));
            Assert.True((await h2.GetDatasetAsync(dataset, Token))!.ReadOnly);
            Assert.Null(await h2.GetResumeTokenAsync(dataset, Token));
            Assert.False(await h2.AbortResumableReceiveAsync(dataset, Token));
        }
        finally
        {
            await DestroyEverywhereAsync(dataset, "h1", "h2");
        }
    }

    [LabFact]
    public async Task DestroyRecursiveRemovesTheTreeAndIsHarmlessToRepeat()
    {
        var h1 = Host("h1");
        var dataset = NewDataset();
        try
        {
            await _lab.SshCheckedAsync("h1", $"zfs create {dataset} && zfs create {dataset.Child("child")} && echo x > /{dataset}/f && cat /{dataset}/f");
            await h1.CreateSnapshotAsync(dataset.Snapshot("s"), recursive: true, Token);

            Assert.True(await h1.DestroyRecursiveAsync(dataset, Token));
            Assert.False(await h1.ExistsAsync(dataset, Token));
            Assert.False(await h1.DestroyRecursiveAsync(dataset, Token));
            await Assert.ThrowsAsync<ArgumentException>(() => h1.DestroyRecursiveAsync(DatasetName.Parse(_lab.Pool), Token));
        }
        finally
        {
            await DestroyEverywhereAsync(dataset, "h1");
        }
    }

    private ZfsHost Host(string name)
    {
        var connection = new SshConnection(
            SshDestination.Parse(name),
            new SshOptions { ConfigFile = _lab.SshConfigPath, ControlDirectory = _controlDirectory });
        _connections.Add(connection);
        return new ZfsHost(connection);
    }

    private DatasetName NewDataset() => DatasetName.Parse($"{_lab.Pool}/zfs-{Guid.NewGuid():N}"[..(_lab.Pool.Length + 17)]);

    /// <summary>Streams one host's zfs send into another's zfs receive the way the engine relays one: through this process.</summary>
    private async Task<long> TransferAsync(
        ZfsHost source, ZfsHost target, ZfsSendRequest request, DatasetName into, ZfsReplicationPlan plan, ZfsReceiveMode mode = ZfsReceiveMode.Normal)
    {
        var result = await RelayTransfer.RunAsync(
            source.Connection, ZfsSendCommand.Create(request, plan), target.Connection, ZfsReceiveCommand.Create(into, plan, mode),
            new ProgressMeter(null), cancellationToken: Token);
        return result.Bytes;
    }

    /// <summary>
    /// What the engine does with a copy it owns right after a receive: read-only, its mounted filesystems remounted
    /// where the host serves stale pages otherwise, and the received snapshots' GUIDs read.
    /// </summary>
    private async Task<IReadOnlyDictionary<SnapshotName, ulong>> SettleCopyAsync(
        ZfsHost target, DatasetName dataset, SnapshotName received, ZfsReplicationPlan plan)
    {
        var copy = await target.ListAsync(dataset, recursive: true, Token);
        List<DatasetName> mounted = plan.RemountAfterReceive
            ? copy.Datasets.Where(d => d is { Type: ZfsDatasetType.Filesystem, Mounted: true }).Select(d => d.Name).ToList()
            : [];
        var snapshots = copy.Datasets.Select(d => d.Name.Snapshot(received.ShortName)).ToList();
        return await target.SettleReceivedCopyAsync(dataset, writable: false, mounted, snapshots, Token);
    }

    private async Task<CommonSnapshotResult> FindNewestAsync(ZfsHost source, ZfsHost target, DatasetName dataset)
    {
        var sourceDataset = await source.GetDatasetAsync(dataset, Token);
        var targetDataset = await target.GetDatasetAsync(dataset, Token);
        return CommonSnapshot.FindNewest(sourceDataset!.Snapshots, targetDataset?.Snapshots);
    }

    private async Task<ulong> GuidAsync(string host, string name) =>
        ulong.Parse((await _lab.SshCheckedAsync(host, $"zfs get -H -p -o value guid {name}")).Trim(), System.Globalization.CultureInfo.InvariantCulture);

    private async Task<string> DigestAsync(string host, string path) =>
        (await _lab.SshCheckedAsync(host, $"sha256sum {path}")).Split(' ', 2)[0];

    private async Task DestroyEverywhereAsync(DatasetName dataset, params string[] hosts)
    {
        foreach (var host in hosts)
        {
            // Plain ssh, so cleanup works even when the driver under test does not.
            await _lab.SshAsync(host,
                $"for i in 1 2 3 4 5; do zfs list {dataset} >/dev/null 2>&1 || break; zfs destroy -r {dataset} && break; sleep 1; done");
        }
    }
}
