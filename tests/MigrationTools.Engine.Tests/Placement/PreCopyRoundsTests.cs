using System.Globalization;
using MigrationTools.Engine.Criu;
using MigrationTools.Engine.Migrations;
using MigrationTools.Engine.Placement;
using MigrationTools.Engine.Tests.Workloads;
using MigrationTools.Engine.Transfer;
using MigrationTools.Engine.Workloads;

namespace MigrationTools.Engine.Tests.Placement;

/// <summary>
/// Pre-copy's rounds, final dump and restore, on the command lines the hosts receive (through a recording ssh): the
/// rounds chained directory to directory, when they stop, where their pages go, and what is cleaned up.
/// </summary>
public sealed class PreCopyRoundsTests : IDisposable
{
    private static readonly WorkloadProcess Process = new(4242, 341611);

    private readonly RecordingSsh _ssh = new();
    private readonly List<string> _activity = [];
    private readonly List<IReadOnlyList<long>> _recorded = [];

    private static MigrationRecord Record(bool streamed, IReadOnlyList<long>? rounds = null) =>
        new MigrationRecord(MigrationId.New(), WorkloadName.Parse("web"), "h1", "h2", CheckpointMode.Criu, DateTimeOffset.UnixEpoch) with
        {
            Settings = new MigrationSettings { Path = streamed ? TransferPath.Direct : TransferPath.Relay, MemoryTransfer = MemoryTransfer.PreCopy },
            MemoryMove = new MemoryMove(MemoryTransfer.PreCopy, streamed, PreCopyPages: rounds),
        };

    /// <summary>What <c>--display-stats</c> prints, with <paramref name="written"/> pages written.</summary>
    private static string Stats(long written) =>
        string.Create(CultureInfo.InvariantCulture, $"Displaying dump stats:\nFreezing time: 90 us\nMemory pages scanned: {written + 5000} (0x0)\nMemory pages written: {written} (0x{written:x})\n");

    private void PageCounts(params long[] written)
    {
        foreach (var count in written)
        {
            _ssh.Answer("h1", "*criu pre-dump*", Stats(count), once: true);
        }
    }

    private void HostsReachEachOther()
    {
        _ssh.Answer("h1", "*getent ahosts*", "link h2 10.0.9.2 10.0.9.1\n");
        _ssh.Answer("h2", "*criu page-server*", "ready 40123\n");
        _ssh.Answer("h2", "* page-server 120", "finished 0\n");
    }

    private Task<PreCopyOutcome> RunAsync(MigrationHosts hosts, MigrationRecord record) =>
        PreCopyRounds.RunAsync(hosts, record, Process, _activity.Add, _recorded.Add, CancellationToken.None);

    [ScriptFact]
    public async Task StreamedRoundsChainTheirDirectoriesOnBothHostsAndStopWhenThePagesNoLongerShrink()
    {
        HostsReachEachOther();
        PageCounts(1000, 400, 380, 20);
        var record = Record(streamed: true);
        var images = CheckpointImages.Of(record);
        using var hosts = _ssh.Hosts();

        var outcome = await RunAsync(hosts, record);

        Assert.Null(outcome.GivenUp);
        Assert.Equal([1000L, 400, 380], outcome.Pages);
        Assert.Equal([[1000L], [1000L, 400], [1000L, 400, 380]], _recorded);
        var preDumps = _ssh.Calls.Where(c => c.RunsCriu("pre-dump")).ToArray();
        Assert.Equal(3, preDumps.Length);
        Assert.All(preDumps, c => Assert.Equal("h1", c.Host));
        Assert.Equal(
            ["sh", "-c", CriuScripts.PreDump, "sh", "4242", "341611", images.Path + ".pre-1",
             "criu", "pre-dump", "-t", "4242", "-D", images.Path + ".pre-1", "--track-mem",
             "--page-server", "--address", "10.0.9.2", "--port", "40123", "-o", "pre-dump.log", "-v4", "--display-stats", "--tcp-close"],
            preDumps[0].Words);
        Assert.Equal(
            ["criu", "pre-dump", "-t", "4242", "-D", images.Path + ".pre-3", "--track-mem", "--prev-images-dir", $"../web-{record.Id}.pre-2",
             "--page-server", "--address", "10.0.9.2", "--port", "40123", "-o", "pre-dump.log", "-v4", "--display-stats", "--tcp-close"],
            preDumps[2].CriuWords("pre-dump"));

        // Each round has a page server of its own on the destination, chained to the previous round as the pre-dump is.
        var servers = _ssh.Calls.Where(c => c.RunsCriu("page-server")).ToArray();
        Assert.All(servers, c => Assert.Equal("h2", c.Host));
        Assert.Equal(
            [(images.Path + ".pre-1", null), (images.Path + ".pre-2", $"../web-{record.Id}.pre-1"), (images.Path + ".pre-3", $"../web-{record.Id}.pre-2")],
            servers.Select(c => (RecordedCommand.After(c.CriuWords("page-server")!, "-D"), RecordedCommand.After(c.CriuWords("page-server")!, "--prev-images-dir"))));
        // Every round's pages were written on the destination before the next round began.
        var order = _ssh.Calls.Select(c => c.RunsCriu("pre-dump") ? "pre-dump" : c.Words.Count > 0 && c.Words[^1] == "120" ? "received" : null).OfType<string>();
        Assert.Equal(["pre-dump", "received", "pre-dump", "received", "pre-dump", "received"], order);
        Assert.Contains(_activity, a => a.Contains("no longer shrink", StringComparison.Ordinal));
        Assert.DoesNotContain(_ssh.Calls, c => c.Words.Contains(CriuScripts.RemovePreCopyRounds));
    }

    [ScriptFact]
    public async Task RelayedRoundsAreShippedToTheSamePlaceOnTheDestinationAndStopAtTheMostRounds()
    {
        _ssh.Answer("h1", "*exec tar -cf -*", "images of the round");
        PageCounts(100_000, 80_000, 60_000, 45_000, 30_000, 20_000);
        var record = Record(streamed: false);
        var images = CheckpointImages.Of(record);
        using var hosts = _ssh.Hosts();

        var outcome = await RunAsync(hosts, record);

        Assert.Equal(PreCopyConvergence.MaxRounds, outcome.Pages.Count);
        Assert.Equal([100_000L, 80_000, 60_000, 45_000, 30_000], outcome.Pages);
        Assert.DoesNotContain(_ssh.Calls, c => c.RunsCriu("page-server") || c.Words.Contains("--page-server"));
        Assert.DoesNotContain(_ssh.Calls, c => c.Words.Contains(HostLinkScript));
        var sent = _ssh.Calls.Where(c => c.Words.Contains(CriuImageShipment.SendScript)).ToArray();
        var received = _ssh.Calls.Where(c => c.Words.Contains(CriuImageShipment.ReceiveScript)).ToArray();
        var rounds = Enumerable.Range(1, 5).Select(k => images.Path + ".pre-" + k).ToArray();
        Assert.Equal(rounds, sent.Select(c => c.Words[4]));
        Assert.All(sent, c => Assert.Equal("h1", c.Host));
        Assert.Equal(rounds, received.Select(c => c.Words[4]));
        Assert.All(received, c => Assert.Equal(("h2", CriuImageDirectory.DefaultParent), (c.Host, c.Words[5])));
        Assert.Equal(
            [null, .. rounds[..4].Select(r => "../" + Path.GetFileName(r))],
            _ssh.Calls.Where(c => c.RunsCriu("pre-dump")).Select(c => RecordedCommand.After(c.CriuWords("pre-dump")!, "--prev-images-dir")));
        Assert.Contains(_activity, a => a.Contains("5 rounds ran", StringComparison.Ordinal));
    }

    [ScriptFact]
    public async Task ARoundThatFailsRemovesEveryRoundOnBothHostsAndEndsItsPageServer()
    {
        HostsReachEachOther();
        PageCounts(1000);
        _ssh.Answer("h1", "*criu pre-dump*", "", status: 1, error: "Error (criu/mem.c:541): Can't dump pages\n", once: true);
        var record = Record(streamed: true);
        var images = CheckpointImages.Of(record);
        using var hosts = _ssh.Hosts();

        var outcome = await RunAsync(hosts, record);

        Assert.Empty(outcome.Pages);
        Assert.Contains("pre-copy round 2 failed", outcome.GivenUp, StringComparison.Ordinal);
        Assert.Equal([[1000L]], _recorded);
        var calls = _ssh.Calls;
        var failed = calls.ToList().FindLastIndex(c => c.RunsCriu("pre-dump"));
        var after = calls.Skip(failed + 1).ToArray();
        Assert.Contains(after, c => c.Host == "h2" && c.Words.SequenceEqual(["sh", "-c", CriuDetachedScripts.Stop, "sh", images.Path + ".pre-2", "page-server"]));
        Assert.Equal(
            ["h1", "h2"],
            after.Where(c => c.Words.SequenceEqual(["sh", "-c", CriuScripts.RemovePreCopyRounds, "sh", images.Path])).Select(c => c.Host).Order());
        Assert.Equal(2, calls.Count(c => c.RunsCriu("pre-dump")));
    }

    [ScriptFact]
    public async Task RoundsLeftByAnEarlierRunAreRemovedBeforeTheFirstRoundStartsAgainFromAWholeCopy()
    {
        PageCounts(200);
        _ssh.Answer("h1", "*exec tar -cf -*", "images");
        var record = Record(streamed: false, rounds: [1000, 400]);
        using var hosts = _ssh.Hosts();

        var outcome = await RunAsync(hosts, record);

        Assert.Equal([200L], outcome.Pages);
        var calls = _ssh.Calls;
        var firstRound = calls.ToList().FindIndex(c => c.RunsCriu("pre-dump"));
        Assert.Equal(["h1", "h2"], calls.Take(firstRound).Where(c => c.Words.Contains(CriuScripts.RemovePreCopyRounds)).Select(c => c.Host).Order());
        Assert.Null(RecordedCommand.After(calls.Single(c => c.RunsCriu("pre-dump")).CriuWords("pre-dump")!, "--prev-images-dir"));
    }

    [ScriptFact]
    public async Task TheFinalDumpWritesOnlyThePagesDirtiedSinceTheLastRoundToAPageServerChainedTheSameWay()
    {
        HostsReachEachOther();
        _ssh.Answer("h1", "*criu dump*", "123456\t/run/x\n");
        var record = Record(streamed: true, rounds: [1000, 400, 380]);
        var images = CheckpointImages.Of(record);
        using var hosts = _ssh.Hosts();

        var checkpoint = await PreCopyRounds.DumpAsync(hosts, record, new CriuDumpRequest(Process, images), CancellationToken.None);

        Assert.Equal(Process, checkpoint.Process);
        var last = $"../web-{record.Id}.pre-3";
        var server = _ssh.Calls.Single(c => c.RunsCriu("page-server")).CriuWords("page-server")!;
        Assert.Equal(["criu", "page-server", "-D", images.Path, "--address", "10.0.9.2", "--prev-images-dir", last], server.Take(8));
        var dump = _ssh.Calls.Single(c => c.RunsCriu("dump"));
        Assert.Equal("h1", dump.Host);
        Assert.Equal(
            ["criu", "dump", "-t", "4242", "-D", images.Path, "-o", "dump.log", "-v4", "--leave-stopped",
             "--track-mem", "--prev-images-dir", last, "--page-server", "--address", "10.0.9.2", "--port", "40123", "--tcp-close", "--skip-in-flight"],
            dump.CriuWords("dump"));
    }

    [ScriptFact]
    public async Task WithoutRoundsTheFinalDumpIsAWholeOneAndRelayedItWritesThePagesWithItsImages()
    {
        _ssh.Answer("h1", "*criu dump*", "123456\t/run/x\n");
        var chained = Record(streamed: false, rounds: [7000, 900]);
        var whole = Record(streamed: false, rounds: []);
        using var hosts = _ssh.Hosts();

        await PreCopyRounds.DumpAsync(hosts, chained, new CriuDumpRequest(Process, CheckpointImages.Of(chained)), CancellationToken.None);
        await PreCopyRounds.DumpAsync(hosts, whole, new CriuDumpRequest(Process, CheckpointImages.Of(whole)), CancellationToken.None);

        var dumps = _ssh.Calls.Where(c => c.RunsCriu("dump")).Select(c => c.CriuWords("dump")!).ToArray();
        Assert.Equal($"../web-{chained.Id}.pre-2", RecordedCommand.After(dumps[0], "--prev-images-dir"));
        Assert.Contains("--track-mem", dumps[0]);
        Assert.DoesNotContain("--page-server", dumps[0]);
        Assert.DoesNotContain("--track-mem", dumps[1]);
        Assert.DoesNotContain("--prev-images-dir", dumps[1]);
        Assert.DoesNotContain(_ssh.Calls, c => c.RunsCriu("page-server"));
    }

    [ScriptFact]
    public async Task TheStreamedImagesJoinThePagesAndTheDestinationRestoresFromTheCheckpointsDirectoryWhoseChainItHolds()
    {
        // The rest of the images travel through the controller here, which the recording ssh sees as two commands.
        var record = Record(streamed: true, rounds: [1000, 400]) with { CheckpointedProcess = Process };
        record = record with { Settings = record.Settings with { Path = TransferPath.Relay } };
        var images = CheckpointImages.Of(record);
        _ssh.Answer("h2", "* page-server 120", "finished 0\n");
        _ssh.Answer("h2", "*pages-\\*.img*", "4096\n");
        _ssh.Answer("h1", "*exec tar -cf -*", "images");
        _ssh.Answer("h2", "*criu restore*", "5151 777\n");
        using var hosts = _ssh.Hosts();

        var shipped = await CriuCheckpointStrategy.Instance.ShipStateAsync(hosts, record, _activity.Add, CancellationToken.None);
        await CriuCheckpointStrategy.Instance.StartOnDestinationAsync(hosts, record, null!, _activity.Add, CancellationToken.None);

        Assert.True(shipped!.Bytes >= 4096, $"{shipped.Bytes} bytes");
        var receive = _ssh.Calls.Single(c => c.Words.Contains(CriuImageShipment.ReceiveBesidePagesScript));
        Assert.Equal(("h2", images.Path), (receive.Host, receive.Words[4]));
        var restore = _ssh.Calls.Single(c => c.RunsCriu("restore"));
        Assert.Equal("h2", restore.Host);
        Assert.Equal(["criu", "restore", "-d", "-D", images.Path, "-o", "restore.log", "-v4", "--pidfile", images.RestorePidFile, "--tcp-close"], restore.CriuWords("restore"));
        Assert.DoesNotContain(_ssh.Calls, c => c.RunsCriu("lazy-pages"));
    }

    [ScriptFact]
    public async Task EachRoundsLogsAreKeptInTheJournalBesideTheDumps()
    {
        var record = Record(streamed: true, rounds: [1000, 400]);
        var images = CheckpointImages.Of(record);
        _ssh.Answer("h1", "*" + images.Path + ".pre-2/pre-dump.log*", "(00.000100) pre-dump of round 2\n");
        _ssh.Answer("h2", "*" + images.Path + ".pre-1/page-server.log*", "(00.000200) page server of round 1\n");
        var directory = Path.Combine(Path.GetTempPath(), "mt-precopy-journal-" + Guid.NewGuid().ToString("N"));
        try
        {
            var journal = new Engine.Journal.MigrationJournal(directory);
            using var hosts = _ssh.Hosts();

            await CriuCheckpointStrategy.Instance.KeepLogsAsync(hosts, record, journal);

            var logs = journal.LogDirectoryOf(record.Id);
            Assert.Equal("(00.000100) pre-dump of round 2\n", File.ReadAllText(Path.Combine(logs, "pre-dump-2.log")));
            Assert.Equal("(00.000200) page server of round 1\n", File.ReadAllText(Path.Combine(logs, "page-server-1.log")));
            Assert.False(File.Exists(Path.Combine(logs, "pre-dump-3.log")));
        }
        finally
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
    }

    [ScriptFact]
    public async Task ASwitchRunAgainWaitsForAPreDumpItsDeadControllerLeftRunningOnTheSource()
    {
        var record = Record(streamed: true, rounds: [1000]);
        var stopAndCopy = Record(streamed: true) with { MemoryMove = new MemoryMove(MemoryTransfer.StopAndCopy, true) };
        using var hosts = _ssh.Hosts();

        await CriuCheckpointStrategy.Instance.WaitForLeftoversAsync(hosts, record, destinationToo: true, CancellationToken.None);
        await CriuCheckpointStrategy.Instance.WaitForLeftoversAsync(hosts, stopAndCopy, destinationToo: true, CancellationToken.None);

        var waits = _ssh.Calls.Where(c => c.Words.Contains(CriuScripts.WaitForOperation)).Select(c => (c.Host, c.Words[4], c.Words[5])).ToArray();
        Assert.Equal([("h1", "pre-dump", CheckpointImages.Of(record).Path)], waits.Where(w => w.Item2 == "pre-dump"));
        Assert.Contains(("h1", "dump", CheckpointImages.Of(stopAndCopy).Path), waits);
    }

    public void Dispose() => _ssh.Dispose();

    private static string HostLinkScript => Engine.Transfer.HostLink.Script;
}
