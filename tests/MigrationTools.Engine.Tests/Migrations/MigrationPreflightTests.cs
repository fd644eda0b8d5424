using MigrationTools.Engine.Journal;
using MigrationTools.Engine.Migrations;
using MigrationTools.Engine.Phases;
using MigrationTools.Engine.Remote;
using MigrationTools.Engine.Workloads;

namespace MigrationTools.Engine.Tests.Migrations;

/// <summary>
/// The preflight's first verdicts need no host: a move onto the same host, or to a host that cannot be reached, is
/// refused with the check that says so. Nothing listens where the hosts here are said to be.
/// </summary>
public sealed class MigrationPreflightTests : IDisposable
{
    private readonly string _directory = SampleRecords.TempDirectory();
    private readonly MigrationPreflight _preflight;

    public MigrationPreflightTests() => _preflight = new MigrationPreflight(new MigrationJournal(_directory), WorkloadPaths.Default);

    [Fact]
    public async Task AMoveOntoTheSameHostFailsOnlyTheDistinctHostsCheck()
    {
        var request = new MigrationRequest(WorkloadName.Parse("web"), "root@127.0.0.1:1", "root@127.0.0.1:1");
        using var hosts = Hosts(request);

        var outcome = await _preflight.RunAsync(hosts, request, CancellationToken.None);

        Assert.Null(outcome.Manifest);
        Assert.False(outcome.Plan.Passed);
        var check = Assert.Single(outcome.Plan.Checks);
        Assert.Equal(MigrationChecks.DistinctHosts, check.Name);
        Assert.False(check.Passed);
        Assert.Null(outcome.Plan.CheckpointMode);
    }

    [Fact]
    public async Task AnUnreachableSourceIsReportedAsSuchWithoutAManifest()
    {
        var request = new MigrationRequest(WorkloadName.Parse("web"), "root@127.0.0.1:1", "root@127.0.0.1:2");
        using var hosts = Hosts(request);

        var outcome = await _preflight.RunAsync(hosts, request, CancellationToken.None);

        Assert.Null(outcome.Manifest);
        Assert.False(outcome.Plan.Passed);
        Assert.Equal([MigrationChecks.DistinctHosts, Engine.Replication.ReplicationPreflight.SourceReachable], outcome.Plan.Checks.Select(c => c.Name));
        Assert.Equal([true, false], outcome.Plan.Checks.Select(c => c.Passed));
    }

    public void Dispose()
    {
        var root = Path.GetDirectoryName(_directory)!;
        if (Directory.Exists(root))
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static MigrationHosts Hosts(MigrationRequest request) =>
        new(request.SourceHost, request.DestinationHost, new SshOptions { ConfigFile = "/dev/null" }, WorkloadPaths.Default);
}
