using System.Text;
using MigrationTools.Engine.Criu;
using MigrationTools.Engine.Migrations;
using MigrationTools.Engine.Placement;
using MigrationTools.Engine.Tests.Workloads;
using MigrationTools.Engine.Transfer;

namespace MigrationTools.Engine.Tests.Placement;

/// <summary>
/// Whether a switch pre-copies, decided per host pair from what each host's CRIU says (through a recording ssh): only
/// the source must track dirty memory; asked for on a source without it, pre-copy is refused naming mem_dirty_track.
/// </summary>
public sealed class PreCopyChoiceTests : IDisposable
{
    private readonly RecordingSsh _ssh = new();

    /// <summary>What the engine's check script prints on a host with CRIU 4.2.1 and no post-copy.</summary>
    private static string CheckOutput(bool tracksDirtyMemory) =>
        string.Join('\n',
            "kernel 6.18.0",
            "version 0 " + Base64("Version: 4.2.1"),
            "check 0 " + Base64("Looks good."),
            tracksDirtyMemory ? "predump 0 " + Base64("mem_dirty_track is supported") : "predump 1 " + Base64("Dirty tracking is OFF. Memory snapshot will not work."),
            "postcopy 1 " + Base64("UFFD is not supported"),
            "pipemax 1048576",
            "capeff 000001ffffffffff") + "\n";

    private static string Base64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    private void Hosts(bool sourceTracks, bool destinationTracks)
    {
        _ssh.Answer("h1", "*criu check --feature mem_dirty_track*", CheckOutput(sourceTracks));
        _ssh.Answer("h2", "*criu check --feature mem_dirty_track*", CheckOutput(destinationTracks));
        _ssh.Answer("h1", "*criu cpuinfo dump*", "image " + Base64("cpuinfo") + "\n");
        _ssh.Answer("h1", "*getent ahosts*", "link h2 10.0.9.2 10.0.9.1\n");
    }

    private async Task<CheckpointPreflight> PreflightAsync(MemoryTransfer asked, TransferPath path = TransferPath.Direct, bool releaseSource = false)
    {
        using var hosts = _ssh.Hosts();
        return await CriuCheckpointStrategy.Instance.PreflightAsync(
            hosts, new MigrationSettings { MemoryTransfer = asked, Path = path, ReleaseSourceBeforeRestore = releaseSource }, CancellationToken.None);
    }

    [ScriptFact]
    public async Task ASourceEndedBeforeTheRestoreKeepsItsPagesInItsOwnCheckpoint()
    {
        // Its rollback restores it from that checkpoint: pages streamed to the destination alone would be lost to it.
        Hosts(sourceTracks: false, destinationTracks: true);

        foreach (var path in new[] { TransferPath.Direct, TransferPath.Relay })
        {
            var choice = (await PreflightAsync(MemoryTransfer.Auto, path, releaseSource: true)).MemoryTransfer!;

            Assert.Equal((MemoryTransfer.StopAndCopy, false, false), (choice.Method, choice.Streamed, choice.Refused));
            Assert.Contains("restores it from its own checkpoint", choice.Reason, StringComparison.Ordinal);
        }

        var kept = (await PreflightAsync(MemoryTransfer.Auto, TransferPath.Direct)).MemoryTransfer!;
        Assert.True(kept.Streamed);
    }

    [ScriptFact]
    public async Task AutoPreCopiesWhenTheSourceTracksDirtyMemoryWhateverTheDestinationDoes()
    {
        Hosts(sourceTracks: true, destinationTracks: false);

        var preflight = await PreflightAsync(MemoryTransfer.Auto);

        var choice = preflight.MemoryTransfer!;
        Assert.Equal((MemoryTransfer.PreCopy, true, false), (choice.Method, choice.Streamed, choice.Refused));
        Assert.Contains("mem_dirty_track", choice.Reason, StringComparison.Ordinal);
        Assert.Contains("userfaultfd", choice.Reason, StringComparison.Ordinal);
        var check = Assert.Single(preflight.Checks, c => c.Name == MigrationChecks.MemoryTransfer);
        Assert.True(check.Passed);
        Assert.Equal(choice.Reason, check.Message);
    }

    [ScriptFact]
    public async Task AutoPassesOverPreCopyWhenOnlyTheDestinationTracksAndSaysWhy()
    {
        Hosts(sourceTracks: false, destinationTracks: true);

        var choice = (await PreflightAsync(MemoryTransfer.Auto)).MemoryTransfer!;

        Assert.Equal((MemoryTransfer.StopAndCopy, true, false), (choice.Method, choice.Streamed, choice.Refused));
        Assert.Contains("h1's kernel does not track dirty memory (criu check --feature mem_dirty_track failed)", choice.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain("h2's kernel does not track", choice.Reason, StringComparison.Ordinal);
    }

    [ScriptFact]
    public async Task PreCopyAskedForOnASourceWithoutTrackingIsRefusedByThePreflightNamingMemDirtyTrack()
    {
        Hosts(sourceTracks: false, destinationTracks: true);

        var preflight = await PreflightAsync(MemoryTransfer.PreCopy);

        var check = Assert.Single(preflight.Checks, c => c.Name == MigrationChecks.MemoryTransfer);
        Assert.False(check.Passed);
        Assert.True(preflight.MemoryTransfer!.Refused);
        Assert.Contains("mem_dirty_track", check.Message, StringComparison.Ordinal);
        Assert.Contains("-MemoryTransfer Auto or StopAndCopy", check.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(_ssh.Calls, c => c.RunsCriu("pre-dump") || c.RunsCriu("dump"));
    }

    [ScriptFact]
    public async Task RelayedPreCopyShipsItsRoundsAndTheChoiceOverTheRelayAsksTheHosts()
    {
        Hosts(sourceTracks: true, destinationTracks: true);

        var relayed = (await PreflightAsync(MemoryTransfer.PreCopy, TransferPath.Relay)).MemoryTransfer!;
        using var hosts = _ssh.Hosts();
        var chosen = await CriuCheckpointStrategy.Instance.ChooseMemoryTransferAsync(
            hosts, new MigrationSettings { MemoryTransfer = MemoryTransfer.Auto, Path = TransferPath.Relay }, CancellationToken.None);

        Assert.Equal((MemoryTransfer.PreCopy, false, false), (relayed.Method, relayed.Streamed, relayed.Refused));
        Assert.Contains("shipped in its images", relayed.Reason, StringComparison.Ordinal);
        Assert.Equal((MemoryTransfer.PreCopy, false), (chosen!.Method, chosen.Streamed));
        Assert.DoesNotContain(_ssh.Calls, c => c.Words.Contains(HostLink.Script));
    }

    public void Dispose() => _ssh.Dispose();
}
