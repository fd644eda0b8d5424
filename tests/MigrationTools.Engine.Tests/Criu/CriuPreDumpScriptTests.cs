using System.Globalization;
using System.Text;
using MigrationTools.Engine.Criu;
using MigrationTools.Engine.Tests.Workloads;

namespace MigrationTools.Engine.Tests.Criu;

/// <summary>The pre-dump script, run on this machine with a stand-in for criu that prints CRIU's statistics.</summary>
public class CriuPreDumpScriptTests : IDisposable
{
    // What criu pre-dump --display-stats printed on the lab (CRIU 4.2.1), then exit status $1.
    private const string StandIn = """
        printf 'Displaying dump stats:\nFreezing time: 177 us\nMemory pages scanned: 42 (0x2a)\nMemory pages written: 28 (0x1c)\nLazy memory pages: 0 (0x0)\n'
        exit "$1"
        """;

    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("mt-predump-");

    [ScriptFact]
    public void ThePagesWrittenComeFromTheStatisticsOfALivingRoot()
    {
        var images = Path.Combine(_root.FullName, "pre-1");
        var (pid, start) = Self();

        var ran = LocalScript.Run(CriuScripts.PreDump, [pid, start, images, "sh", "-c", StandIn, "sh", "0"]);
        var failed = LocalScript.Run(CriuScripts.PreDump, [pid, start, images, "sh", "-c", StandIn, "sh", "3"]);
        var stranger = LocalScript.Run(CriuScripts.PreDump, [pid, start + "1", images, "sh", "-c", StandIn, "sh", "0"]);

        Assert.Equal(0, ran.ExitCode);
        Assert.Equal(28, CriuDumpStatistics.Parse(Encoding.UTF8.GetString(ran.Output)).Written);
        Assert.True(Directory.Exists(images));
        Assert.Equal(3, failed.ExitCode);
        Assert.Equal(CriuScripts.PreconditionFailed, stranger.ExitCode);
        Assert.Contains("is not running", stranger.Error, StringComparison.Ordinal);
    }

    [ScriptFact]
    public void RemovingACheckpointTakesItsRoundsAlongAndRemovingTheRoundsLeavesIt()
    {
        var checkpoint = Path.Combine(_root.FullName, "web-1");
        string[] rounds = [checkpoint + ".pre-1", checkpoint + ".pre-2", checkpoint + ".pre-2.incoming.x1"];
        var other = Path.Combine(_root.FullName, "web-10.pre-1");
        foreach (var directory in rounds.Append(checkpoint).Append(other))
        {
            Directory.CreateDirectory(directory);
            File.WriteAllText(Path.Combine(directory, "pages-1.img"), "p");
        }

        var roundsOnly = LocalScript.Run(CriuScripts.RemovePreCopyRounds, [checkpoint]);

        Assert.Equal(0, roundsOnly.ExitCode);
        Assert.Equal("3", Encoding.UTF8.GetString(roundsOnly.Output).Trim());
        Assert.All(rounds, round => Assert.False(Directory.Exists(round), round));
        Assert.True(Directory.Exists(checkpoint));

        Directory.CreateDirectory(rounds[0]);
        var all = LocalScript.Run(CriuScripts.Remove, [checkpoint]);

        Assert.Equal("removed", Encoding.UTF8.GetString(all.Output).Trim());
        Assert.False(Directory.Exists(checkpoint));
        Assert.False(Directory.Exists(rounds[0]));
        Assert.True(Directory.Exists(other), "another checkpoint's round was removed");
        Assert.Equal("0", Encoding.UTF8.GetString(LocalScript.Run(CriuScripts.RemovePreCopyRounds, [checkpoint]).Output).Trim());
    }

    [ScriptFact]
    public void APreDumpOfARoundLeftRunningIsWaitedForAndADumpOfTheCheckpointIsNotMistakenForIt()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        var checkpoint = Path.Combine(_root.FullName, "web-2");
        var criu = Path.Combine(_root.FullName, "criu");
        File.WriteAllText(criu, "#!/bin/sh\nsleep 30\n");
        File.SetUnixFileMode(criu, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        using var leftover = System.Diagnostics.Process.Start(criu, ["pre-dump", "-t", "4242", "-D", checkpoint + ".pre-2", "--track-mem"]);
        try
        {
            var preDump = LocalScript.Run(CriuScripts.WaitForOperation, ["pre-dump", checkpoint, "0"]).Text().Trim();
            var dump = LocalScript.Run(CriuScripts.WaitForOperation, ["dump", checkpoint, "0"]).Text().Trim();
            var otherWorkload = LocalScript.Run(CriuScripts.WaitForOperation, ["pre-dump", checkpoint + "0", "0"]).Text().Trim();

            Assert.Equal("running", preDump);
            Assert.Equal("", dump);
            Assert.Equal("", otherWorkload);
        }
        finally
        {
            leftover.Kill(entireProcessTree: true);
            leftover.WaitForExit();
        }

        Assert.Equal("", LocalScript.Run(CriuScripts.WaitForOperation, ["pre-dump", checkpoint, "1"]).Text().Trim());
    }

    public void Dispose()
    {
        _root.Delete(true);
        GC.SuppressFinalize(this);
    }

    private static (string Pid, string Start) Self()
    {
        var stat = File.ReadAllText("/proc/self/stat");
        var fields = stat[(stat.LastIndexOf(") ", StringComparison.Ordinal) + 2)..].Split(' ');
        return (Environment.ProcessId.ToString(CultureInfo.InvariantCulture), fields[19]);
    }
}
