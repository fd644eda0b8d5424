using System.Diagnostics;
using System.Globalization;
using MigrationTools.Engine.Workloads;

namespace MigrationTools.Engine.Tests.Workloads;

/// <summary>The runtime's exact commands, how it reads their output, and its /proc functions run on this machine.</summary>
public class WorkloadRuntimeTests
{
    private static readonly WorkloadPaths Paths = new("/etc/mt/manifests", "/run/mt");

    [Fact]
    public void TheStartCommandPassesEveryValueAsItsOwnArgument()
    {
        var manifest = new WorkloadManifest(
            WorkloadName.Parse("web"), [], ["python3", "app.py", "--name", "it's $(id)"], CheckpointMode.Criu, "/srv/web dir",
            [new("B", "x=y"), new("A", "'; rm -rf / #")]);

        var command = WorkloadRuntime.StartCommand(manifest, Paths);

        Assert.Equal(
            ["sh", "-c", WorkloadRuntime.StartScript, "sh", "/run/mt/web", "/srv/web dir", WorkloadRuntime.InitScript, "2",
             "A='; rm -rf / #", "B=x=y", "python3", "app.py", "--name", "it's $(id)"],
            Assert.Single(command.Stages));
    }

    [Fact]
    public void TheStartScriptDetachesTheWorkloadAsTheInitOfItsOwnPidNamespaceAndSessionLeader()
    {
        Assert.Contains("setsid -f unshare --pid --fork -- sh -c \"$init\" sh \"$d\" \"$@\" </dev/null >>\"$d/output.log\" 2>&1",
            WorkloadRuntime.StartScript, StringComparison.Ordinal);
        Assert.Contains("exec setsid -- \"$@\"", WorkloadRuntime.InitScript, StringComparison.Ordinal);
        Assert.Contains("exec 3>&- 4>&- 5>&- 6>&- 7>&- 8>&- 9>&-", WorkloadRuntime.StartScript, StringComparison.Ordinal);
    }

    [Fact]
    public void TheStopAndStatusCommandsNameOnlyValidatedPaths()
    {
        Assert.Equal(
            ["sh", "-c", WorkloadRuntime.StopScript, "sh", "/run/mt/web/pid", "25"],
            Assert.Single(WorkloadRuntime.StopCommand(WorkloadName.Parse("web"), TimeSpan.FromSeconds(2.5), Paths).Stages));
        Assert.Equal(
            ["sh", "-c", WorkloadRuntime.StopScript, "sh", "/run/mt/web/pid", "0"],
            Assert.Single(WorkloadRuntime.StopCommand(WorkloadName.Parse("web"), TimeSpan.Zero, Paths).Stages));
        Assert.Equal(
            ["sh", "-c", WorkloadRuntime.StatusScript, "sh", "/run/mt", "a", "b.c"],
            Assert.Single(WorkloadRuntime.StatusCommand([WorkloadName.Parse("a"), WorkloadName.Parse("b.c")], Paths).Stages));
    }

    [Fact]
    public void StatusLinesAreReadBackInTheOrderAsked()
    {
        WorkloadName[] names = [WorkloadName.Parse("b"), WorkloadName.Parse("a"), WorkloadName.Parse("c")];

        var statuses = WorkloadRuntime.ParseStatuses(names, "a running 12 345\nb stopped\nc frozen 7 8\n", "h1");

        Assert.Equal(
            [
                new WorkloadStatus(names[0], WorkloadState.Stopped, null),
                new WorkloadStatus(names[1], WorkloadState.Running, new WorkloadProcess(12, 345)),
                new WorkloadStatus(names[2], WorkloadState.Frozen, new WorkloadProcess(7, 8)),
            ],
            statuses);
        Assert.Throws<FormatException>(() => WorkloadRuntime.ParseStatuses(names, "a running 12 345\nb stopped\n", "h1"));
        Assert.Throws<FormatException>(() => WorkloadRuntime.ParseStatuses(names, "a running x y\nb stopped\nc stopped\n", "h1"));
    }

    [Fact]
    public void ProcessRecordsParseOnlyWholeNumbers()
    {
        Assert.Equal(new WorkloadProcess(4242, 341611), WorkloadProcess.TryParse("4242 341611\n"));
        Assert.Null(WorkloadProcess.TryParse("4242"));
        Assert.Null(WorkloadProcess.TryParse("-1 5"));
        Assert.Null(WorkloadProcess.TryParse("0 5"));
        Assert.Null(WorkloadProcess.TryParse("12 34 56"));
        Assert.Equal("4242 (started at tick 341611)", new WorkloadProcess(4242, 341611).ToString());
    }

    [ScriptFact]
    public void TheProcFunctionsFindATreeCheckStartTimesAndSeeItFrozen()
    {
        using var parent = Process.Start(new ProcessStartInfo("/bin/sh", ["-c", "sleep 60 & sleep 60 & wait"]) { UseShellExecute = false })!;
        try
        {
            var pid = parent.Id.ToString(CultureInfo.InvariantCulture);
            var start = File.ReadAllText($"/proc/{pid}/stat").Split(") ")[1].Split(' ')[19];
            string Run(string body) => LocalScript.Run(ProcessTreeScripts.Functions + body, [pid, start]).Text().Trim();

            var deadline = DateTime.UtcNow.AddSeconds(10);
            string tree;
            while ((tree = Run("mt_tree \"$1\"; echo $mt_t")).Split(' ').Length < 3 && DateTime.UtcNow < deadline)
            {
                Thread.Sleep(50);
            }

            Assert.Equal(3, tree.Split(' ').Length);
            Assert.StartsWith(pid + " ", tree, StringComparison.Ordinal);
            Assert.Equal("alive", Run("mt_alive \"$1\" \"$2\" && echo alive"));
            Assert.Equal("no", Run("mt_alive \"$1\" \"$2\"1 || echo no"));
            Assert.Equal("no", Run("mt_alive x \"$2\" || echo no"));
            Assert.Equal("running", Run("mt_tree \"$1\"; mt_frozen && echo frozen || echo running"));

            Run("mt_tree \"$1\"; for p in $mt_t; do kill -s STOP $p; done");
            Assert.Equal("frozen", Run("mt_tree \"$1\"; mt_frozen && echo frozen || echo running"));
            Run("mt_tree \"$1\"; for p in $mt_t; do kill -s CONT $p; done");
            Assert.Equal("running", Run("mt_tree \"$1\"; mt_frozen && echo frozen || echo running"));
        }
        finally
        {
            LocalScript.Run(ProcessTreeScripts.Functions + "mt_tree \"$1\"; for p in $mt_t; do kill -s KILL $p; done", [parent.Id.ToString(CultureInfo.InvariantCulture)]);
            parent.WaitForExit();
        }
    }

    [ScriptFact]
    public void TheStatusScriptReadsPidFilesAndIgnoresStaleOrGarbledOnes()
    {
        var directory = Directory.CreateTempSubdirectory("mt-status-");
        try
        {
            var self = Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
            var start = File.ReadAllText($"/proc/{self}/stat").Split(") ")[1].Split(' ')[19];
            foreach (var (name, content) in new[] { ("live", $"{self} {start}\n"), ("stale", $"{self} 1\n"), ("garbled", "../../x y\n") })
            {
                Directory.CreateDirectory(Path.Combine(directory.FullName, name));
                File.WriteAllText(Path.Combine(directory.FullName, name, "pid"), content);
            }

            var result = LocalScript.Run(WorkloadRuntime.StatusScript, [directory.FullName, "live", "stale", "garbled", "none"]);

            Assert.Equal(0, result.ExitCode);
            Assert.Equal($"live running {self} {start}\nstale stopped\ngarbled stopped\nnone stopped\n", result.Text());
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}
