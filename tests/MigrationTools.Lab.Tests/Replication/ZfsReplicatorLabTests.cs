using System.Globalization;
using MigrationTools.Engine.Replication;
using MigrationTools.Engine.Transfer;
using MigrationTools.Lab.Tests.Lab;

namespace MigrationTools.Lab.Tests.Replication;

/// <summary>Full and incremental replication between lab hosts, over both paths, checked byte for byte.</summary>
[Collection(LabCollection.Name)]
public sealed class ZfsReplicatorLabTests(LabFixture lab)
{
    public static TheoryData<TransferPath> Paths => new() { TransferPath.Relay, TransferPath.Direct };

    [LabFact]
    public async Task OneGibibyteArrivesWholeThenThreeRoundsSendOnlyTheDelta()
    {
        await using var pair = new ReplicationLab(lab);
        await pair.OnSourceAsync(
            $"zfs create {pair.SourceDataset} && zfs create {pair.SourceDataset}/child && " +
            $"head -c 1G /dev/urandom > /{pair.SourceDataset}/big && head -c 3M /dev/urandom > /{pair.SourceDataset}/child/small");
        var progress = new List<TransferProgress>();

        var full = await pair.Replicator.ReplicateAsync(pair.Request, new Collect(progress));

        Assert.False(full.IsIncremental);
        Assert.True(full.Bytes >= 1L << 30, $"a full stream of 1 GiB was only {full.Bytes} bytes");
        Assert.Equal(await pair.SourceChecksumsAsync(), await pair.TargetChecksumsAsync());
        Assert.NotNull(full.Estimate.Bytes);
        Assert.True(progress[^1].IsComplete);
        Assert.Equal(full.Bytes, progress[^1].Bytes);

        var previous = full.Snapshot;
        for (var round = 1; round <= 3; round++)
        {
            await pair.OnSourceAsync(
                $"head -c 8M /dev/urandom > /{pair.SourceDataset}/delta-{round} && " +
                $"dd if=/dev/urandom of=/{pair.SourceDataset}/big bs=1M count=4 seek={round * 100} conv=notrunc status=none && " +
                $"echo {round} >> /{pair.SourceDataset}/child/small");

            var result = await pair.Replicator.ReplicateAsync(pair.Request);

            Assert.Equal(previous, result.From);
            var raw = long.Parse(
                (await pair.OnSourceAsync($"zfs send -R -I {previous} {result.Snapshot} | wc -c")).Trim(), CultureInfo.InvariantCulture);
            // Only the delta (~12 MiB here) travels, never the 1 GiB.
            Assert.InRange(result.Bytes, 12L << 20, (long)(raw * 1.05) + (1 << 20));
            Assert.Equal(await pair.SourceChecksumsAsync(), await pair.TargetChecksumsAsync());
            previous = result.Snapshot;
        }

        var targetSnapshots = await pair.OnTargetAsync($"zfs list -H -t snapshot -o name -r {pair.TargetDataset}");
        Assert.Contains($"{pair.TargetDataset}/child@{previous.ShortName}", targetSnapshots, StringComparison.Ordinal);
        var readOnly = await pair.OnTargetAsync($"touch /{pair.TargetDataset}/intruder 2>&1 || echo refused");
        Assert.Contains("refused", readOnly, StringComparison.Ordinal);
    }

    [LabTheory]
    [MemberData(nameof(Paths))]
    public async Task BothPathsKeepACopyInStepWithHoldsOnlyOnTheNewestSnapshot(TransferPath path)
    {
        await using var pair = new ReplicationLab(lab);
        var request = pair.Request with { Path = path };
        await pair.OnSourceAsync($"zfs create {pair.SourceDataset} && head -c 64M /dev/urandom > /{pair.SourceDataset}/data");

        var first = await pair.Replicator.ReplicateAsync(request);
        await pair.OnSourceAsync($"head -c 2M /dev/urandom >> /{pair.SourceDataset}/data");
        var second = await pair.Replicator.ReplicateAsync(request);
        var idle = await pair.Replicator.ReplicateAsync(request);

        Assert.Equal(path, first.Path);
        Assert.Equal(path, second.Path);
        Assert.Equal(first.Snapshot, second.From);
        Assert.True(idle.Bytes < 1 << 20, $"a round with no changes sent {idle.Bytes} bytes");
        Assert.Equal(await pair.SourceChecksumsAsync(), await pair.TargetChecksumsAsync());
        foreach (var host in new[] { pair.SourceHost, pair.TargetHost })
        {
            var dataset = host == pair.SourceHost ? pair.SourceDataset : pair.TargetDataset;
            var holds = await lab.SshCheckedAsync(host, $"zfs get -H -p -o name,value userrefs -r {dataset} | grep @");
            Assert.Equal(
                [$"{dataset}@{first.Snapshot.ShortName}\t0", $"{dataset}@{second.Snapshot.ShortName}\t0", $"{dataset}@{idle.Snapshot.ShortName}\t1"],
                holds.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        }
    }

    [LabFact]
    public async Task APropertyChangedOnTheSourceBetweenRoundsReachesTheCopy()
    {
        await using var pair = new ReplicationLab(lab);
        await pair.OnSourceAsync(
            $"zfs create {pair.SourceDataset} && zfs create {pair.SourceDataset}/child && zfs set com.example:tier=gold {pair.SourceDataset} && " +
            $"head -c 4M /dev/urandom > /{pair.SourceDataset}/data");
        await pair.Replicator.ReplicateAsync(pair.Request);
        Assert.Equal("gold", await TierOnTargetAsync(pair, pair.TargetDataset.Value));

        // Unchanged properties: the data alone travels, and the copy keeps what it had.
        await pair.OnSourceAsync($"head -c 1M /dev/urandom >> /{pair.SourceDataset}/data");
        await pair.Replicator.ReplicateAsync(pair.Request);
        Assert.Equal("gold", await TierOnTargetAsync(pair, pair.TargetDataset.Value));

        await pair.OnSourceAsync(
            $"zfs set com.example:tier=silver {pair.SourceDataset} && zfs set com.example:tier=bronze {pair.SourceDataset}/child && " +
            $"head -c 1M /dev/urandom >> /{pair.SourceDataset}/data");
        await pair.Replicator.ReplicateAsync(pair.Request);

        Assert.Equal("silver", await TierOnTargetAsync(pair, pair.TargetDataset.Value));
        Assert.Equal("bronze", await TierOnTargetAsync(pair, pair.TargetDataset.Value + "/child"));
        Assert.Equal(await pair.SourceChecksumsAsync(), await pair.TargetChecksumsAsync());
    }

    private static async Task<string> TierOnTargetAsync(ReplicationLab pair, string dataset) =>
        (await pair.OnTargetAsync($"zfs get -H -o value com.example:tier {dataset}")).Trim();

    [LabFact]
    public async Task CompressedStreamArrivesWhole()
    {
        await using var pair = new ReplicationLab(lab);
        await pair.OnSourceAsync($"zfs create {pair.SourceDataset} && head -c 16M /dev/zero > /{pair.SourceDataset}/zeros && head -c 1M /dev/urandom > /{pair.SourceDataset}/noise");

        var result = await pair.Replicator.ReplicateAsync(pair.Request with { Compression = StreamCompression.Auto });

        Assert.Equal(StreamCompression.Zstd, result.Compression);
        Assert.True(result.Bytes < 8 << 20, $"17 MiB of mostly zeros took {result.Bytes} bytes compressed");
        Assert.Equal(await pair.SourceChecksumsAsync(), await pair.TargetChecksumsAsync());
    }

    [LabTheory]
    [MemberData(nameof(Paths))]
    public async Task AnInterruptedStreamIsCompletedByTheNextRound(TransferPath path)
    {
        await using var pair = new ReplicationLab(lab);
        var request = pair.Request with { Path = path };
        await pair.OnSourceAsync($"zfs create {pair.SourceDataset} && head -c 768M /dev/urandom > /{pair.SourceDataset}/data");
        var killed = 0;
        var killer = new KillMidStream(() =>
        {
            if (Interlocked.Exchange(ref killed, 1) == 0)
            {
                KillTransportAsync(path, pair).GetAwaiter().GetResult();
            }
        });

        await Assert.ThrowsAnyAsync<Engine.Remote.RemoteException>(() => pair.Replicator.ReplicateAsync(request, killer));
        Assert.Equal(1, killed);

        var result = await pair.Replicator.ReplicateAsync(request);

        Assert.False(result.IsIncremental);
        var intact = await pair.SourceChecksumsAsync() == await pair.TargetChecksumsAsync();
        Reliability.ReliabilityLog.Record(Reliability.ReliabilityLog.Kind.Fault, $"ssh killed mid full send ({path})",
            "the round fails; the next round sends it whole; checksums equal; no snapshot left held",
            $"next round {(result.IsIncremental ? "incremental" : "full")}, checksums {(intact ? "equal" : "DIFFER")}", !intact);
        Assert.True(intact);

        // The same in the middle of an incremental round.
        await pair.OnSourceAsync($"head -c 768M /dev/urandom > /{pair.SourceDataset}/more");
        killed = 0;
        await Assert.ThrowsAnyAsync<Engine.Remote.RemoteException>(() => pair.Replicator.ReplicateAsync(request, killer));
        Assert.Equal(1, killed);
        var incremental = await pair.Replicator.ReplicateAsync(request);
        Assert.True(incremental.IsIncremental);
        intact = await pair.SourceChecksumsAsync() == await pair.TargetChecksumsAsync();
        Reliability.ReliabilityLog.Record(Reliability.ReliabilityLog.Kind.Fault, $"ssh killed mid incremental send ({path})",
            "the round fails; the next round sends the delta again from the newest common snapshot; checksums equal",
            $"next round {(incremental.IsIncremental ? "incremental" : "full")}, checksums {(intact ? "equal" : "DIFFER")}", !intact);
        Assert.True(intact);

        // Nothing the cut stream held stays held: every migration snapshot can be destroyed afterwards.
        await pair.Replicator.ReleaseAsync(request, destroySnapshots: true);
        Assert.DoesNotContain("@mt-", await pair.OnSourceAsync($"zfs list -H -o name -t snapshot -r {pair.SourceDataset}"), StringComparison.Ordinal);
        Assert.DoesNotContain("@mt-", await pair.OnTargetAsync($"zfs list -H -o name -t snapshot -r {pair.TargetDataset}"), StringComparison.Ordinal);
    }

    /// <summary>Kills the ssh that carries the stream, by PID: the controller's for relay, the source's for direct.</summary>
    private static async Task KillTransportAsync(TransferPath path, ReplicationLab pair)
    {
        if (path == TransferPath.Relay)
        {
            var pid = LocalProcesses.ChildrenOf(Environment.ProcessId)
                .Single(p => p.CommandLine.Contains("'zfs' 'send'", StringComparison.Ordinal) &&
                             p.CommandLine.Contains(pair.SourceDataset.Value, StringComparison.Ordinal)).Pid;
            System.Diagnostics.Process.GetProcessById(pid).Kill();
        }
        else
        {
            // The ssh on the source whose command line names the target dataset: the hop to the target.
            await pair.OnSourceAsync(
                $"for p in $(pgrep -f -- '{pair.TargetDataset.Value}'); do " +
                "[ \"$(cat /proc/$p/comm 2>/dev/null)\" = ssh ] && kill -KILL $p && echo killed; done | grep -q killed");
        }
    }

    private sealed class Collect(List<TransferProgress> into) : IProgress<TransferProgress>
    {
        public void Report(TransferProgress value)
        {
            lock (into)
            {
                into.Add(value);
            }
        }
    }

    /// <summary>
    /// Fires once the stream is under way (32 MiB), on the reporting thread. The direct path reports about once
    /// a second, so its stream must last several seconds for the kill to land mid-stream.
    /// </summary>
    private sealed class KillMidStream(Action kill) : IProgress<TransferProgress>
    {
        public void Report(TransferProgress value)
        {
            if (value.Bytes >= 32 << 20 && !value.IsComplete)
            {
                kill();
            }
        }
    }
}
