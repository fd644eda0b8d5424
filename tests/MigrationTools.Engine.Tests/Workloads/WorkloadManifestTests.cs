using MigrationTools.Engine.Workloads;
using MigrationTools.Engine.Zfs;

namespace MigrationTools.Engine.Tests.Workloads;

/// <summary>Manifests built in code are validated as strictly as files, and compare by value.</summary>
public class WorkloadManifestTests
{
    private static readonly WorkloadName Web = WorkloadName.Parse("web");

    [Fact]
    public void InvalidValuesAreRefusedOnConstruction()
    {
        Assert.Throws<ArgumentException>(() => new WorkloadManifest(Web, [], [], CheckpointMode.Criu));
        Assert.Throws<ArgumentException>(() => new WorkloadManifest(Web, [], ["", "x"], CheckpointMode.Criu));
        Assert.Throws<ArgumentException>(() => new WorkloadManifest(Web, [], ["a\0"], CheckpointMode.Criu));
        Assert.Throws<ArgumentException>(() => new WorkloadManifest(Web, [], ["a"], CheckpointMode.Criu, "relative"));
        Assert.Throws<ArgumentException>(() => new WorkloadManifest(Web, [], ["a"], CheckpointMode.Criu, environment: [new("A B", "x")]));
        Assert.Throws<ArgumentException>(() => new WorkloadManifest(Web, [], ["a"], CheckpointMode.Criu, environment: [new("A", "x"), new("A", "y")]));
        Assert.Throws<ArgumentException>(() => new WorkloadManifest(
            Web, [DatasetName.Parse("tank/a"), DatasetName.Parse("tank/a/b")], ["a"], CheckpointMode.Criu));
        Assert.Throws<ArgumentOutOfRangeException>(() => new WorkloadManifest(Web, [], ["a"], (CheckpointMode)7));
        Assert.Throws<ArgumentOutOfRangeException>(() => new WorkloadManifest(Web, [], ["a"], CheckpointMode.Criu, migrationPolicy: (MigrationPolicy)7));
        Assert.Throws<ArgumentNullException>(() => new WorkloadManifest(null!, [], ["a"], CheckpointMode.Criu));
    }

    [Fact]
    public void HealthChecksAreValidatedOnConstruction()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => HealthCheck.ForTcpPort(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => HealthCheck.ForTcpPort(80, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => HealthCheck.ForTcpPort(80, 3601));
        Assert.Throws<ArgumentException>(() => HealthCheck.ForCommand([]));
        Assert.Throws<ArgumentException>(() => HealthCheck.ForHttpUrl(new Uri("http://192.0.2.1/")));
        Assert.Equal(HealthCheckKind.HttpUrl, HealthCheck.ForHttpUrl(new Uri("http://localhost:8080/")).Kind);
        Assert.Equal(HealthCheckKind.HttpUrl, HealthCheck.ForHttpUrl(new Uri("http://127.0.0.12/")).Kind);
        Assert.Equal(HealthCheck.ForCommand(["a", "b"]), HealthCheck.ForCommand(["a", "b"]));
        Assert.NotEqual(HealthCheck.ForCommand(["a", "b"]), HealthCheck.ForCommand(["a", "b"], 11));
        Assert.NotEqual(HealthCheck.ForTcpPort(80), HealthCheck.ForTcpPort(81));
    }

    [Fact]
    public void ManifestsCompareByValueWhateverOrderTheEnvironmentWasGivenIn()
    {
        var a = new WorkloadManifest(Web, [DatasetName.Parse("tank/web")], ["run", "x"], CheckpointMode.Criu,
            environment: [new("B", "2"), new("A", "1")], healthCheck: HealthCheck.ForTcpPort(80));
        var b = new WorkloadManifest(Web, [DatasetName.Parse("tank/web")], ["run", "x"], CheckpointMode.Criu,
            environment: [new("A", "1"), new("B", "2")], healthCheck: HealthCheck.ForTcpPort(80));

        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.Equal(["A", "B"], a.Environment.Keys);
        Assert.NotEqual(a, new WorkloadManifest(Web, [DatasetName.Parse("tank/web")], ["run", "y"], CheckpointMode.Criu,
            environment: [new("A", "1"), new("B", "2")], healthCheck: HealthCheck.ForTcpPort(80)));
        Assert.NotEqual(a, new WorkloadManifest(Web, [DatasetName.Parse("tank/web")], ["run", "x"], CheckpointMode.Criu,
            environment: [new("A", "1"), new("B", "3")], healthCheck: HealthCheck.ForTcpPort(80)));
        Assert.NotEqual(a, new WorkloadManifest(Web, [DatasetName.Parse("tank/web")], ["run", "x"], CheckpointMode.Criu,
            environment: [new("A", "1"), new("B", "2")]));
    }

    [Fact]
    public void PathsAreValidatedAndDeriveEachWorkloadsFiles()
    {
        var paths = new WorkloadPaths("/srv/mt/manifests/", "/run/mt");

        Assert.Equal("/srv/mt/manifests/web.json", paths.ManifestFile(Web));
        Assert.Equal("/run/mt/web", paths.WorkloadDirectory(Web));
        Assert.Equal("/run/mt/web/pid", paths.PidFile(Web));
        Assert.Equal("/run/mt/web/output.log", paths.OutputLog(Web));
        Assert.Equal("/etc/migrationtools/workloads/web.json", WorkloadPaths.Default.ManifestFile(Web));
        Assert.Equal("/run/migrationtools/workloads/web/pid", WorkloadPaths.Default.PidFile(Web));
        foreach (var bad in new[] { "", "relative", "/", "//", "/a/../etc", "/a/./b", "/a\nb", "/a\0b" })
        {
            Assert.Throws<ArgumentException>(() => new WorkloadPaths(bad));
            Assert.Throws<ArgumentException>(() => new WorkloadPaths(WorkloadPaths.DefaultManifestDirectory, bad));
        }
    }
}
