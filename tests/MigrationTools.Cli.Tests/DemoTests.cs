using MigrationTools.Cli.Demo;

namespace MigrationTools.Cli.Tests;

/// <summary>The demo's proof checks, and how it finds the lab, without a lab.</summary>
public sealed class DemoTests : IDisposable
{
    private static readonly CounterReading Before = new(37, "ab12", "h1");
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "mt-cli-demo-" + Guid.NewGuid().ToString("N")[..8]);

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public void TheSameTokenProvesTheSameProcess()
    {
        Assert.True(DemoProof.SameProcess(Before, Before with { Counter = 50, Hostname = "h2" }).Passed);
        Assert.False(DemoProof.SameProcess(Before, Before with { Token = "cd34" }).Passed);
    }

    [Fact]
    public void TheClientsConnectionMustLastAndBeAnsweredByTheSourceThenTheDestination()
    {
        Assert.True(DemoProof.ClientConnectionKept(true, 412, ["h1", "h2"], "h1", "h2").Passed);
        Assert.False(DemoProof.ClientConnectionKept(false, 412, ["h1", "h2"], "h1", "h2").Passed);
        Assert.False(DemoProof.ClientConnectionKept(true, 412, ["h1"], "h1", "h2").Passed);
        Assert.Contains("broke", DemoProof.ClientConnectionKept(false, 0, ["h1"], "h1", "h2").Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void TheLabNetworkIsReadFromLabEnvAndAbsentWithoutIt()
    {
        Directory.CreateDirectory(_directory);
        Assert.Null(LabNetwork.Read(_directory));
        File.WriteAllLines(Path.Combine(_directory, "lab.env"),
        [
            "LAB_NETWORK_PREFIX=10.0.11", "LAB_PREFIX_LENGTH=24", "LAB_SERVICE_FIRST=10.0.11.200", "LAB_SERVICE_LAST=10.0.11.239",
            "LAB_CLIENT_ADDRESS=10.0.11.250", "LAB_ENTER_CLIENT=/var/lib/migrationtools-lab/enter-client",
        ]);
        Assert.Equal(new LabNetwork("10.0.11", 24, 200, 239, "/var/lib/migrationtools-lab/enter-client"), LabNetwork.Read(_directory));
    }

    [Fact]
    public void TheServiceMustAnswerFromTheDestination()
    {
        Assert.True(DemoProof.RunsOn(Before with { Hostname = "h2" }, "h2").Passed);
        Assert.False(DemoProof.RunsOn(Before, "h2").Passed);
    }

    [Fact]
    public void TheCounterMustGoOnFromWhereItWas()
    {
        Assert.True(DemoProof.CounterContinued(Before, Before with { Counter = 40 }, Before with { Counter = 45 }).Passed);
        var reset = DemoProof.CounterContinued(Before, Before with { Counter = 3 }, Before with { Counter = 8 });
        Assert.False(reset.Passed);
        Assert.EndsWith("it was reset", reset.Detail, StringComparison.Ordinal);
        Assert.False(DemoProof.CounterContinued(Before, Before with { Counter = 40 }, Before with { Counter = 40 }).Passed);
    }

    [Fact]
    public void TheLogMustHoldEveryValueOnceAndInOrderUpToTheLastOneSeenOnTheSource()
    {
        string Log(IEnumerable<int> values) => string.Concat(values.Select(v => v + "\n"));

        Assert.True(DemoProof.NothingLost(Log(Enumerable.Range(1, 60)), Before).Passed);
        var gap = DemoProof.NothingLost(Log(Enumerable.Range(1, 20).Concat(Enumerable.Range(22, 30))), Before);
        Assert.False(gap.Passed);
        Assert.Contains("has '22' where 21 belongs", gap.Detail, StringComparison.Ordinal);
        Assert.False(DemoProof.NothingLost(Log(Enumerable.Range(1, 30)), Before).Passed);
        Assert.False(DemoProof.NothingLost(Log([1, 2, 2, 3]), Before with { Counter = 1 }).Passed);
        Assert.False(DemoProof.NothingLost("", Before).Passed);
    }

    [Fact]
    public void NothingMayRunOnTheSource()
    {
        Assert.True(DemoProof.SourceEmpty("stopped", false, "h1").Passed);
        Assert.False(DemoProof.SourceEmpty("frozen", false, "h1").Passed);
    }

    [Fact]
    public void OnlyThePackagesOfMissingProgramsAreInstalledEachOnce()
    {
        Assert.Empty(LabPrerequisites.MissingPackages(_ => true));
        Assert.Equal(["debootstrap", "openssh-client"], LabPrerequisites.MissingPackages(p => p is not ("debootstrap" or "ssh" or "ssh-keygen")));
        Assert.Equal(
            ["debootstrap", "openssh-client", "util-linux", "mount"],
            LabPrerequisites.MissingPackages(_ => false));
    }

    [Fact]
    public void TheCounterServicesAnswerIsRead()
    {
        var reading = CounterReading.Parse("""{"counter": 12, "token": "9f00", "started": 1.5, "hostname": "h2"}""");

        Assert.Equal(new CounterReading(12, "9f00", "h2"), reading);
        Assert.Throws<System.Text.Json.JsonException>(() => CounterReading.Parse("""{"count": 1}"""));
    }

    [Fact]
    public void TheLabStatusIsRead()
    {
        var status = LabStatus.Parse("""
            {"state":"up","stateDirectory":"/var/lib/x","sshConfig":"/var/lib/x/ssh_config","knownHosts":"k","identityFile":"i","pool":"tank",
             "hosts":[{"name":"h1","address":"127.0.0.41","port":22},{"name":"h2","address":"127.0.0.42","port":22}]}
            """);

        Assert.Equal(("up", "/var/lib/x", "/var/lib/x/ssh_config", "tank"), (status.State, status.StateDirectory, status.SshConfig, status.Pool));
        Assert.Equal(["h1", "h2"], status.Hosts);
    }

    [Fact]
    public void TheLabScriptIsTheCheckoutsWhenTheToolRunsInsideOne()
    {
        var tool = Path.Combine(_directory, "src", "MigrationTools.Cli", "bin", "Debug", "net10.0");
        Directory.CreateDirectory(tool);
        Directory.CreateDirectory(Path.Combine(_directory, "tests", "lab"));
        File.WriteAllText(Path.Combine(_directory, "MigrationTools.sln"), "");
        File.WriteAllText(Path.Combine(_directory, "tests", "lab", "lab.sh"), "");
        Directory.CreateDirectory(Path.Combine(tool, "lab"));
        File.WriteAllText(Path.Combine(tool, "lab", "lab.sh"), "");

        var script = LabScript.Find(null, tool);

        Assert.Equal(Path.Combine(_directory, "tests", "lab", "lab.sh"), script.Path);
        Assert.Equal(Path.Combine(_directory, "tests", "lab", "workloads", "counter.py"), script.CounterService);
    }

    [Fact]
    public void OutsideACheckoutTheLabScriptIsTheCopyShippedWithTheTool()
    {
        var tool = Path.Combine(_directory, "tools", "migrationtools");
        Directory.CreateDirectory(Path.Combine(tool, "lab"));
        File.WriteAllText(Path.Combine(tool, "lab", "lab.sh"), "");

        Assert.Equal(Path.Combine(tool, "lab", "lab.sh"), LabScript.Find(null, tool).Path);
    }

    [Fact]
    public void AGivenLabScriptMustExistAndNoScriptAtAllIsRefused()
    {
        Directory.CreateDirectory(_directory);

        Assert.Contains("--lab-script: there is no file", Assert.Throws<UsageException>(() => LabScript.Find(Path.Combine(_directory, "nope.sh"), _directory)).Message, StringComparison.Ordinal);
        Assert.Contains("give it with --lab-script", Assert.Throws<CommandRefusedException>(() => LabScript.Find(null, _directory)).Message, StringComparison.Ordinal);
    }
}
