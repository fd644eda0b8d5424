using MigrationTools.Engine.Network;
using MigrationTools.Engine.Workloads;
using MigrationTools.Engine.Zfs;

namespace MigrationTools.Module.Tests.Unit;

/// <summary>The Workload object the cmdlets write, made from the engine's summary of one host's workload.</summary>
public sealed class WorkloadTests
{
    private static readonly WorkloadManifest Manifest = new(
        WorkloadName.Parse("web"),
        [DatasetName.Parse("tank/web"), DatasetName.Parse("tank/logs")],
        ["python3", "app.py"],
        CheckpointMode.Criu,
        "/tank/web",
        new Dictionary<string, string> { ["PORT"] = "8080" },
        HealthCheck.ForTcpPort(8080, 5),
        MigrationPolicy.Automatic);

    [Fact]
    public void CarriesTheSummaryUnderTheNamesTheOtherCmdletsBind()
    {
        var summary = new WorkloadSummary(
            "h1",
            Manifest,
            new WorkloadStatus(Manifest.Name, WorkloadState.Running, new WorkloadProcess(4242, 341611)),
            [new WorkloadDatasetUsage(DatasetName.Parse("tank/web"), 3000), new WorkloadDatasetUsage(DatasetName.Parse("tank/logs"), null)]);

        var workload = new Workload(summary, new WorkloadPaths("/etc/mt/workloads"));

        Assert.Equal("h1", workload.ComputerName);
        Assert.Equal("web", workload.Name);
        Assert.Equal(WorkloadState.Running, workload.State);
        Assert.Equal(4242, workload.ProcessId);
        Assert.Equal(["tank/web", "tank/logs"], workload.Datasets);
        Assert.Equal(3000, workload.UsedBytes);
        Assert.Equal(["tank/logs"], workload.MissingDatasets);
        Assert.Equal(CheckpointMode.Criu, workload.CheckpointMode);
        Assert.Equal(MigrationPolicy.Automatic, workload.MigrationPolicy);
        Assert.Equal(["python3", "app.py"], workload.Command);
        Assert.Equal("/tank/web", workload.WorkingDirectory);
        Assert.Equal("8080", workload.Environment["PORT"]);
        Assert.Equal(HealthCheck.ForTcpPort(8080, 5), workload.HealthCheck);
        Assert.Equal("/etc/mt/workloads/web.json", workload.ManifestPath);
        Assert.Equal("web on h1", workload.ToString());
    }

    [Fact]
    public void ServiceAddressesAreShownInCanonicalText()
    {
        var manifest = new WorkloadManifest(
            WorkloadName.Parse("web"), [], ["app"], CheckpointMode.Criu,
            serviceAddresses: [ServiceAddress.Parse("10.0.0.80/24@eth0"), ServiceAddress.Parse("2001:DB8:0::1/64@br0")]);
        var summary = new WorkloadSummary("h1", manifest, new WorkloadStatus(manifest.Name, WorkloadState.Stopped, null), []);

        var workload = new Workload(summary, WorkloadPaths.Default);

        Assert.Equal(["10.0.0.80/24@eth0", "2001:db8::1/64@br0"], workload.ServiceAddresses);
    }

    [Fact]
    public void AWorkloadWithoutServiceAddressesHasAnEmptyList()
    {
        var summary = new WorkloadSummary("h1", Manifest, new WorkloadStatus(Manifest.Name, WorkloadState.Stopped, null), []);

        Assert.Empty(new Workload(summary, WorkloadPaths.Default).ServiceAddresses);
    }

    [Fact]
    public void AStoppedWorkloadHasNoProcess()
    {
        var summary = new WorkloadSummary(
            "root@h2:2222", Manifest, new WorkloadStatus(Manifest.Name, WorkloadState.Stopped, null),
            [new WorkloadDatasetUsage(DatasetName.Parse("tank/web"), 10), new WorkloadDatasetUsage(DatasetName.Parse("tank/logs"), 20)]);

        var workload = new Workload(summary, WorkloadPaths.Default);

        Assert.Null(workload.ProcessId);
        Assert.Equal(WorkloadState.Stopped, workload.State);
        Assert.Equal(30, workload.UsedBytes);
        Assert.Empty(workload.MissingDatasets);
        Assert.Equal("root@h2:2222", workload.ComputerName);
    }
}
