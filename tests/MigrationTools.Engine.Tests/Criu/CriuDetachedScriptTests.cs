using System.Text;
using MigrationTools.Engine.Criu;
using MigrationTools.Engine.Tests.Workloads;

namespace MigrationTools.Engine.Tests.Criu;

/// <summary>
/// The detached-operation scripts, run on this machine with a stand-in for criu that logs a port, signals readiness
/// on fd 3 and ends as told: readiness, the recorded PID and exit status, and ending one by its PID.
/// </summary>
public class CriuDetachedScriptTests : IDisposable
{
    // $0 image directory, $1 what to do: "exit N" (ready, then ends with N), "hold" (ready, then runs on), "late" (never ready).
    // It execs its last sleep, so that ending it by its PID leaves nothing behind.
    private const string StandIn = """
        echo "(00.077757) Using 40123 port" > "$0/page-server.log"
        case $1 in late) exec sleep 30;; esac
        printf '\0' >&3
        case $1 in hold) exec sleep 60;; esac
        sleep 0.3; exit "$2"
        """;

    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("mt-detached-");

    private string Images => Path.Combine(_root.FullName, "images");

    [ScriptFact]
    public void APageServerIsReadyWithThePortItsLogNamesAndRecordsItsExitStatus()
    {
        var started = Start("exit", "0");

        Assert.Equal(0, started.ExitCode);
        Assert.Equal("ready 40123\n", Encoding.UTF8.GetString(started.Output));
        Assert.Equal("running\n", Outcome(0));
        Assert.Equal("finished 0\n", Outcome(10));
        Assert.Matches(@"^\d+ \d+\n$", File.ReadAllText(Path.Combine(Images, ".operations", "page-server.pid")));
        Assert.Equal("none\n", Stop());
    }

    [ScriptFact]
    public void AnOperationThatEndsBeforeItIsReadyFailsWithItsStatus()
    {
        var started = LocalScript.Run(CriuDetachedScripts.StartPageServer, [Images, "10", "sh", "-c", "exit 7", Images]);

        Assert.Equal(CriuDetachedScripts.EndedBeforeReady, started.ExitCode);
        Assert.Contains("ended with exit status 7 before it was ready", started.Error, StringComparison.Ordinal);
        Assert.Equal("finished 7\n", Outcome(0));
    }

    [ScriptFact]
    public void AStoppedOperationIsEndedByItsRecordedPidAndReportsTheSignal()
    {
        Assert.Equal(0, Start("hold").ExitCode);

        Assert.Equal("stopped\n", Stop());
        Assert.Equal("finished 143\n", Outcome(10));
    }

    [ScriptFact]
    public void AnOperationNeverStartedIsMissingAndOneNotReadyInTimeIsEnded()
    {
        Directory.CreateDirectory(Images);
        Assert.Equal("missing\n", Outcome(0));

        var late = Start("late", seconds: 1);

        Assert.Equal(CriuDetachedScripts.NotReadyInTime, late.ExitCode);
        Assert.Equal("finished 143\n", Outcome(10));
    }

    public void Dispose()
    {
        Stop();
        _root.Delete(true);
        GC.SuppressFinalize(this);
    }

    private (int ExitCode, byte[] Output, string Error) Start(string mode, string status = "0", int seconds = 10) =>
        LocalScript.Run(CriuDetachedScripts.StartPageServer,
            [Images, seconds.ToString(System.Globalization.CultureInfo.InvariantCulture), "sh", "-c", StandIn, Images, mode, status]);

    private string Outcome(int seconds) =>
        Encoding.UTF8.GetString(LocalScript.Run(
            CriuDetachedScripts.Outcome, [Images, CriuDetachedScripts.PageServer, seconds.ToString(System.Globalization.CultureInfo.InvariantCulture)]).Output);

    private string Stop() => Encoding.UTF8.GetString(LocalScript.Run(CriuDetachedScripts.Stop, [Images, CriuDetachedScripts.PageServer]).Output);
}
