using MigrationTools.Engine.Journal;
using MigrationTools.Engine.Migrations;
using MigrationTools.Engine.Placement;
using MigrationTools.Engine.Remote;
using MigrationTools.Engine.Switching;
using MigrationTools.Engine.Workloads;
using MigrationTools.Engine.Zfs;

namespace MigrationTools.Engine.Tests.Migrations;

/// <summary>
/// What a cut-over tells its rollback before and after a first step fails: only a switch that was interrupted may
/// have left the workload running on the destination. Nothing listens where the hosts are said to be, so the first step fails.
/// </summary>
public sealed class SwitchCutoverTests : IDisposable
{
    private readonly string _directory = SampleRecords.TempDirectory();
    private readonly MigrationJournal _journal;
    private readonly MigrationHosts _nowhere = new(
        SshDestination.Parse("root@127.0.0.1:1"), SshDestination.Parse("root@127.0.0.1:2"),
        new SshOptions { ConfigFile = "/dev/null" }, WorkloadPaths.Default);

    public SwitchCutoverTests() => _journal = new MigrationJournal(_directory);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task OnlyAnInterruptedSwitchMayHaveLeftTheWorkloadOnTheDestination(bool interrupted)
    {
        var record = _journal.Create(SampleRecords.New()) with { State = MigrationState.Switching, ActivePhase = MigrationPhase.Switch };
        var manifest = new WorkloadManifest(record.Workload, [DatasetName.Parse("tank/web")], ["/bin/true"], CheckpointMode.Criu);
        var placement = new WorkloadPlacement(_nowhere, manifest, CheckpointStrategies.For(record.CheckpointMode));
        var cutover = new SwitchCutover(_journal, () => SampleRecords.Created, _nowhere, placement, record, interrupted, null);

        Assert.Equal(interrupted, cutover.DestinationMayRun);
        var failure = await Assert.ThrowsAnyAsync<Exception>(() => cutover.RunAsync(CancellationToken.None));

        Assert.True(PhaseFailures.IsFailure(failure), failure.ToString());
        Assert.Equal(interrupted, cutover.DestinationMayRun);
        Assert.Same(record, cutover.Record);
    }

    public void Dispose()
    {
        _nowhere.Dispose();
        var root = Path.GetDirectoryName(_directory)!;
        if (Directory.Exists(root))
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
