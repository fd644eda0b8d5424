using MigrationTools.Engine.Criu;
using MigrationTools.Engine.Migrations;
using MigrationTools.Engine.Placement;
using MigrationTools.Engine.Remote;
using MigrationTools.Engine.Workloads;

namespace MigrationTools.Engine.Tests.Migrations;

/// <summary>
/// Each checkpoint mode has exactly one strategy, and what a strategy decides without a host (preflight verdicts, what
/// restart mode leaves out, what a live switch already past its checkpoint skips) holds without contacting one:
/// nothing listens where the hosts here are said to be, so any contact would fail the test.
/// </summary>
public sealed class CheckpointStrategiesTests : IDisposable
{
    private readonly MigrationHosts _nowhere = new(
        SshDestination.Parse("root@127.0.0.1:1"), SshDestination.Parse("root@127.0.0.1:2"),
        new SshOptions { ConfigFile = "/dev/null" }, WorkloadPaths.Default);

    public static TheoryData<CheckpointMode> Modes() => new(Enum.GetValues<CheckpointMode>());

    [Theory]
    [MemberData(nameof(Modes))]
    public void EveryModeHasAStrategyThatCarriesItOut(CheckpointMode mode) =>
        Assert.Equal(mode, CheckpointStrategies.For(mode).Mode);

    [Fact]
    public void EachModeGetsItsOwnStrategy()
    {
        Assert.IsType<CriuCheckpointStrategy>(CheckpointStrategies.For(CheckpointMode.Criu));
        Assert.IsType<RestartCheckpointStrategy>(CheckpointStrategies.For(CheckpointMode.Restart));
        Assert.Same(CheckpointStrategies.For(CheckpointMode.Criu), CheckpointStrategies.For(CheckpointMode.Criu));
    }

    [Fact]
    public void AModeWithoutAStrategyIsRefused()
    {
        var unknown = (CheckpointMode)Enum.GetValues<CheckpointMode>().Length;

        var refused = Assert.Throws<ArgumentOutOfRangeException>(() => CheckpointStrategies.For(unknown));

        Assert.Equal("mode", refused.ParamName);
    }

    [Fact]
    public void AStoppedSourceMovesInRestartModeButNotLive()
    {
        var workload = WorkloadName.Parse("web");

        var restart = CheckpointStrategies.For(CheckpointMode.Restart).CheckStoppedSource(workload, "root@host-a");
        var live = CheckpointStrategies.For(CheckpointMode.Criu).CheckStoppedSource(workload, "root@host-a");

        Assert.True(restart.Passed);
        Assert.False(live.Passed);
        foreach (var check in new[] { restart, live })
        {
            Assert.Equal(MigrationChecks.SourceRunning, check.Name);
            Assert.Equal("root@host-a", check.Target);
            Assert.Contains("web", check.Message, StringComparison.Ordinal);
        }

        Assert.Contains("restart", live.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RestartModeCarriesNoStateAndNeedsNoCriu()
    {
        var restart = CheckpointStrategies.For(CheckpointMode.Restart);
        var record = SampleRecords.New() with { CheckpointMode = CheckpointMode.Restart };
        var reported = new List<string>();

        var preflight = await restart.PreflightAsync(_nowhere, new MigrationSettings { MemoryTransfer = MemoryTransfer.PostCopy }, CancellationToken.None);
        Assert.Empty(preflight.Checks);
        Assert.Null(preflight.MemoryTransfer);
        Assert.Null(await restart.AwaitMemoryAsync(_nowhere, record, reported.Add, CancellationToken.None));
        await restart.BreakMemoryTransferAsync(_nowhere, record, destinationReached: true, CancellationToken.None);
        Assert.Null(await restart.ShipStateAsync(_nowhere, record, reported.Add, CancellationToken.None));
        Assert.False(await restart.AdoptAsync(_nowhere.Destination, _nowhere.DestinationCriu, record, CancellationToken.None));
        await restart.ReleaseSourceAsync(_nowhere, record with { Settings = new MigrationSettings { ReleaseSourceBeforeRestore = true } },
            reported.Add, CancellationToken.None);
        await restart.WaitForLeftoversAsync(_nowhere, record, destinationToo: true, CancellationToken.None);
        Assert.Empty(reported);
    }

    [Fact]
    public async Task ALiveSwitchPastItsCheckpointDoesNotCheckpointAgain()
    {
        var live = CheckpointStrategies.For(CheckpointMode.Criu);
        var record = SampleRecords.New() with { CheckpointedProcess = new WorkloadProcess(4242, 1234) };
        var frozen = new WorkloadStatus(record.Workload, WorkloadState.Frozen, record.CheckpointedProcess);
        var reported = new List<string>();

        Assert.Null(await live.HaltSourceAsync(_nowhere, record, frozen, reported.Add, CancellationToken.None));
        Assert.Empty(reported);
    }

    [Fact]
    public async Task ALiveSwitchThatNeverCheckpointedHasNoTreeToAdopt()
    {
        var live = CheckpointStrategies.For(CheckpointMode.Criu);
        var record = SampleRecords.New();

        Assert.False(await live.AdoptAsync(_nowhere.Source, _nowhere.SourceCriu, record, CancellationToken.None));
    }

    [Fact]
    public async Task ALiveSwitchKeepsTheSourceUntilTheSettingsAskToReleaseIt()
    {
        var live = CheckpointStrategies.For(CheckpointMode.Criu);
        var reported = new List<string>();

        await live.ReleaseSourceAsync(_nowhere, SampleRecords.New(), reported.Add, CancellationToken.None);

        Assert.Empty(reported);
    }

    public void Dispose() => _nowhere.Dispose();
}
