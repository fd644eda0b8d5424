using System.Globalization;
using MigrationTools.Engine.Preflight;
using MigrationTools.Engine.Remote;
using MigrationTools.Engine.Replication;
using MigrationTools.Engine.Transfer;
using MigrationTools.Engine.Zfs;
using MigrationTools.Lab.Tests.Lab;

namespace MigrationTools.Lab.Tests.Replication;

/// <summary>Every preflight check, passing and failing, on the lab; and refusals that change nothing.</summary>
[Collection(LabCollection.Name)]
public sealed class ReplicationPreflightLabTests(LabFixture lab)
{
    [LabFact]
    public async Task AllChecksPassForAReplicationThatCanRun()
    {
        await using var pair = await CreateSourceAsync();

        var report = await pair.Replicator.PreflightAsync(pair.Request with { Path = TransferPath.Direct, Compression = StreamCompression.Zstd });

        Assert.True(report.Passed, report.DescribeFailures());
        Assert.Equal(
            ["SourceReachable", "SourceZfs", "TargetReachable", "TargetZfs", "SourceDatasetExists", "TargetPoolExists", "TargetState",
             "TargetFreeSpace", "Compression", "DirectRoute"],
            report.Checks.Select(c => c.Name));
    }

    [LabFact]
    public async Task AnUnreachableHostFailsItsCheck()
    {
        await using var pair = await CreateSourceAsync();
        using var nowhere = new SshConnection(SshDestination.Parse("root@127.0.0.99"), lab.EngineSshOptions with { KnownHostsFile = lab.KnownHostsPath });
        var replicator = new ZfsReplicator(new ZfsHost(nowhere), pair.Replicator.Target);

        var report = await replicator.PreflightAsync(pair.Request);

        AssertFailed(report, "SourceReachable", "refused");
    }

    [LabFact]
    public async Task MissingSourcePoolAndParentFailTheirChecks()
    {
        await using var pair = await CreateSourceAsync();

        AssertFailed(await pair.Replicator.PreflightAsync(new ReplicationRequest(
            DatasetName.Parse($"{lab.Pool}/absent-{pair.Id}"), pair.TargetDataset, "t" + pair.Id)), "SourceDatasetExists", "does not exist");
        AssertFailed(await pair.Replicator.PreflightAsync(new ReplicationRequest(
            pair.SourceDataset, DatasetName.Parse($"nopool/copy-{pair.Id}"), "t" + pair.Id)), "TargetPoolExists", "no pool nopool");
        AssertFailed(await pair.Replicator.PreflightAsync(new ReplicationRequest(
            pair.SourceDataset, DatasetName.Parse($"{lab.Pool}/absent-{pair.Id}/copy"), "t" + pair.Id)), "TargetParentExists", "zfs create -p");
    }

    [LabFact]
    public async Task TheSameDatasetOnTheSameHostIsRefused()
    {
        await using var pair = await CreateSourceAsync();
        using var again = lab.Connect(pair.SourceHost);
        var replicator = new ZfsReplicator(new ZfsHost(pair.SourceConnection), new ZfsHost(again));

        AssertFailed(await replicator.PreflightAsync(new ReplicationRequest(pair.SourceDataset, pair.SourceDataset, "t" + pair.Id)),
            "DistinctDatasets", "another target");
    }

    [LabFact]
    public async Task AnUnrelatedTargetIsRefusedAndLeftUntouchedUnlessForced()
    {
        await using var pair = await CreateSourceAsync();
        await pair.OnTargetAsync($"zfs create {pair.TargetDataset} && echo precious > /{pair.TargetDataset}/keep && zfs snapshot {pair.TargetDataset}@theirs");
        var before = await pair.TargetChecksumsAsync();

        AssertFailed(await pair.Replicator.PreflightAsync(pair.Request), "TargetState", "shares no snapshot");
        var refusal = await Assert.ThrowsAsync<ReplicationRefusedException>(() => pair.Replicator.ReplicateAsync(pair.Request));

        Assert.Contains("Force", refusal.Message, StringComparison.Ordinal);
        Assert.Equal(before, await pair.TargetChecksumsAsync());
        Assert.Equal($"{pair.TargetDataset}@theirs", (await pair.OnTargetAsync($"zfs list -H -o name -t snapshot -r {pair.TargetDataset}")).Trim());
        Assert.DoesNotContain("@mt-", await pair.OnSourceAsync($"zfs list -H -o name -t snapshot -r {pair.SourceDataset}"), StringComparison.Ordinal);

        var forced = pair.Request with { Force = true };
        Assert.True((await pair.Replicator.PreflightAsync(forced)).Passed);
        await pair.Replicator.ReplicateAsync(forced);
        Assert.Equal(await pair.SourceChecksumsAsync(), await pair.TargetChecksumsAsync());
    }

    [LabFact]
    public async Task ADivergedTargetIsRefused()
    {
        await using var pair = await CreateSourceAsync();
        await pair.Replicator.ReplicateAsync(pair.Request);
        await pair.OnTargetAsync($"zfs snapshot {pair.TargetDataset}@local-change");

        AssertFailed(await pair.Replicator.PreflightAsync(pair.Request), "TargetState", "diverged");
        await Assert.ThrowsAsync<ReplicationRefusedException>(() => pair.Replicator.ReplicateAsync(pair.Request));
    }

    [LabFact]
    public async Task TooLittleFreeSpaceOnTheTargetFailsItsCheck()
    {
        await using var pair = await CreateSourceAsync();
        var filler = $"{lab.Pool}/filler-{pair.Id}";
        try
        {
            // Space freed by earlier tests' destroys comes back over the next few transaction groups: keep the
            // reservation growing until less than a megabyte is left.
            await pair.OnTargetAsync($"zfs create {filler}");
            long reserved = 0;
            for (var attempt = 0; attempt < 20; attempt++)
            {
                var free = long.Parse((await pair.OnTargetAsync($"zfs get -H -p -o value available {lab.Pool}")).Trim(), CultureInfo.InvariantCulture);
                if (free < 1 << 20)
                {
                    break;
                }

                reserved += free - (512 << 10);
                await pair.OnTargetAsync($"zfs set reservation={reserved} {filler}");
                await Task.Delay(500);
            }

            AssertFailed(await pair.Replicator.PreflightAsync(pair.Request), "TargetFreeSpace", "free space there");
        }
        finally
        {
            await lab.DestroyDatasetAsync(pair.TargetHost, filler);
        }
    }

    [LabFact]
    public async Task ADirectRouteTheSourceCannotTakeFailsItsCheck()
    {
        await using var pair = await CreateSourceAsync();

        var report = await pair.Replicator.PreflightAsync(pair.Request with
        {
            Path = TransferPath.Direct,
            DirectPeer = SshDestination.Parse("root@127.0.0.98"),
        });

        AssertFailed(report, "DirectRoute", "relay path");
    }

    private async Task<ReplicationLab> CreateSourceAsync()
    {
        var pair = new ReplicationLab(lab);
        // ZFS accounts written data in 'used' once its transaction group commits; an idle zfs-fuse pool may wait
        // long for that, and a snapshot forces it.
        await pair.OnSourceAsync(
            $"zfs create {pair.SourceDataset} && head -c 32M /dev/urandom > /{pair.SourceDataset}/data && zfs snapshot {pair.SourceDataset}@seed");
        return pair;
    }

    private static void AssertFailed(PreflightReport report, string check, string messagePart)
    {
        Assert.False(report.Passed, string.Join("\n", report.Checks.Select(c => $"{c.Name} {c.Passed}: {c.Message}")));
        var failed = Assert.Single(report.Failures);
        Assert.Equal(check, failed.Name);
        Assert.Contains(messagePart, failed.Message, StringComparison.Ordinal);
    }
}
