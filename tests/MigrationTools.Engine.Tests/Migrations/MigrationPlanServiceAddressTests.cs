using MigrationTools.Engine.Journal;
using MigrationTools.Engine.Migrations;
using MigrationTools.Engine.Network;
using MigrationTools.Engine.Phases;
using MigrationTools.Engine.Preflight;
using MigrationTools.Engine.Remote;
using MigrationTools.Engine.Workloads;

namespace MigrationTools.Engine.Tests.Migrations;

/// <summary>
/// A plan carries the service addresses that would move, as the manifest the preflight read declares them; a
/// preflight that could not read the manifest has none to give. Nothing listens where the hosts here are said to be.
/// </summary>
public sealed class MigrationPlanServiceAddressTests : IDisposable
{
    private readonly string _directory = SampleRecords.TempDirectory();

    [Fact]
    public void APlanKeepsTheServiceAddressesItIsGivenInOrder()
    {
        ServiceAddress[] addresses = [ServiceAddress.Parse("10.0.0.80/24@eth0"), ServiceAddress.Parse("fd00::80/64@br0")];

        var plan = new MigrationPlan(WorkloadName.Parse("web"), "h1", "h2", CheckpointMode.Criu, [PreflightCheck.Pass("DistinctHosts", "h1 to h2")], [], addresses);

        Assert.Equal(addresses, plan.ServiceAddresses);
        Assert.Empty(new MigrationPlan(WorkloadName.Parse("web"), "h1", "h2", CheckpointMode.Criu, [], []).ServiceAddresses);
    }

    [Theory]
    [InlineData("root@127.0.0.1:1", "root@127.0.0.1:1")]
    [InlineData("root@127.0.0.1:1", "root@127.0.0.1:2")]
    public async Task APreflightThatCouldNotReadTheManifestPlansNoServiceAddresses(string source, string destination)
    {
        var preflight = new MigrationPreflight(new MigrationJournal(_directory), WorkloadPaths.Default);
        var request = new MigrationRequest(WorkloadName.Parse("web"), source, destination);
        using var hosts = new MigrationHosts(request.SourceHost, request.DestinationHost, new SshOptions { ConfigFile = "/dev/null" }, WorkloadPaths.Default);

        var outcome = await preflight.RunAsync(hosts, request, CancellationToken.None);

        Assert.Null(outcome.Manifest);
        Assert.False(outcome.Plan.Passed);
        Assert.NotNull(outcome.Plan.ServiceAddresses);
        Assert.Empty(outcome.Plan.ServiceAddresses);
    }

    public void Dispose()
    {
        var root = Path.GetDirectoryName(_directory)!;
        if (Directory.Exists(root))
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
