using System.Globalization;
using MigrationTools.Engine.Criu;
using MigrationTools.Engine.Tests.Workloads;
using MigrationTools.Engine.Workloads;

namespace MigrationTools.Engine.Tests.Criu;

/// <summary>
/// The script that releases a dump's network lock, run on this machine with stand-ins for <c>iptables</c>,
/// <c>ip6tables</c> and <c>nft</c> that record their arguments: only CRIU's own rule lines of the dump log are undone,
/// word for word with <c>-D</c>, and only the nftables table of the dump's run id is deleted.
/// </summary>
public sealed class CriuNetworkLockScriptTests : IDisposable
{
    private const string RunId = "0e89e9e0-806b-42ad-9dc0-4269236c6332";

    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("mt-netlock-");

    public CriuNetworkLockScriptTests()
    {
        Directory.CreateDirectory(Images);
        Directory.CreateDirectory(Tools);
        foreach (var tool in new[] { "iptables", "ip6tables" })
        {
            WriteTool(tool, $"printf '%s\\n' \"{tool} $*\" >> '{Calls}'");
        }

        // nft lists two CRIU tables and a foreign one; deleting records the call.
        WriteTool("nft", $"""
            case "$1 $2" in
                "list tables") printf 'table inet CRIU-{RunId[..21]}\ntable inet CRIU-ffffffff-806b-42ad-9d\ntable ip filter\n' ;;
                *) printf '%s\n' "nft $*" >> '{Calls}' ;;
            esac
            """);
    }

    private string Images => Path.Combine(_root.FullName, "images");

    private string Tools => Path.Combine(_root.FullName, "bin");

    private string Calls => Path.Combine(_root.FullName, "calls");

    private static WorkloadProcess Gone => new(Environment.ProcessId, 1);

    public void Dispose() => _root.Delete(recursive: true);

    [ScriptFact]
    public void TheDumpsIptablesRulesAreDeletedWordForWordAndItsNftablesTableByRunId()
    {
        WriteLog(
            $"(00.000000) CRIU run id = {RunId}",
            "(00.061133) \tRunning iptables [iptables -w -t filter -I INPUT --protocol tcp -m mark ! --mark 0xC114 --source 10.0.71.250 --sport 59620 --destination 10.0.71.200 --dport 8081 -j DROP]",
            "(00.070771) \tRunning iptables [iptables -w -t filter -I OUTPUT --protocol tcp -m mark ! --mark 0xC114 --source 10.0.71.200 --sport 8081 --destination 10.0.71.250 --dport 59620 -j DROP]",
            "(00.070800) \tRunning iptables [ip6tables -w -t filter -I INPUT --protocol tcp -m mark ! --mark 0xC114 --source fd00::250 --sport 1 --destination fd00::200 --dport 2 -j DROP]");

        var result = Release(Gone);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("released 4", result.Text().Trim());
        Assert.Equal(
            [
                "iptables -w -t filter -D INPUT --protocol tcp -m mark ! --mark 0xC114 --source 10.0.71.250 --sport 59620 --destination 10.0.71.200 --dport 8081 -j DROP",
                "iptables -w -t filter -D OUTPUT --protocol tcp -m mark ! --mark 0xC114 --source 10.0.71.200 --sport 8081 --destination 10.0.71.250 --dport 59620 -j DROP",
                "ip6tables -w -t filter -D INPUT --protocol tcp -m mark ! --mark 0xC114 --source fd00::250 --sport 1 --destination fd00::200 --dport 2 -j DROP",
                $"nft delete table inet CRIU-{RunId[..21]}",
            ],
            File.ReadAllLines(Calls));
    }

    [ScriptFact]
    public void LinesNotOfCriusFormAreNeverRun()
    {
        WriteLog(
            "(00.000000) CRIU run id = not-a-run-id",
            "(00.061133) \tRunning iptables [iptables -w -t filter -I INPUT --protocol tcp -j DROP; touch /tmp/x]",
            "(00.061133) \tRunning iptables [iptables -w -t filter -I FORWARD --protocol tcp -m mark ! --mark 0xC114 --source 1.2.3.4 --sport 1 --destination 1.2.3.5 --dport 2 -j DROP]",
            "(00.061133) \tRunning iptables [iptables -w -t filter -I INPUT --protocol tcp -m mark ! --mark 0xC114 --source $(id) --sport 1 --destination 1.2.3.5 --dport 2 -j DROP]",
            "(00.061133) \tRunning iptables [iptables -w -t filter -I INPUT --protocol tcp -m mark ! --mark 0xC114 --source 1.2.3.4 --sport 1 --destination 1.2.3.5 --dport 2 -j ACCEPT]");

        var result = Release(Gone);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("released 0", result.Text().Trim());
        Assert.False(File.Exists(Calls), File.Exists(Calls) ? File.ReadAllText(Calls) : "");
    }

    [ScriptFact]
    public void ATreeThatStillRunsKeepsItsLock()
    {
        WriteLog($"(00.000000) CRIU run id = {RunId}");

        var result = Release(new WorkloadProcess(Environment.ProcessId, OwnStartTime()));

        Assert.Equal(CriuScripts.PreconditionFailed, result.ExitCode);
        Assert.Contains("still runs", result.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(Calls));
    }

    [ScriptFact]
    public void WithoutADumpLogThereIsNothingToRelease()
    {
        var result = Release(Gone);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("nolog", result.Text().Trim());
        Assert.False(File.Exists(Calls));
    }

    [Fact]
    public void TheCommandPassesTheDirectoryAndTheRootAsArguments()
    {
        var images = CriuImageDirectory.Parse("/run/migrationtools/images/web-1");

        Assert.Equal(
            ["sh", "-c", CriuScripts.ReleaseNetworkLock, "sh", images.Path, "4242", "341611"],
            Assert.Single(CriuCommands.ReleaseNetworkLock(new WorkloadProcess(4242, 341611), images).Stages));
        Assert.Throws<ArgumentNullException>(() => CriuCommands.ReleaseNetworkLock(null!, images));
    }

    private static long OwnStartTime()
    {
        var stat = File.ReadAllText($"/proc/{Environment.ProcessId}/stat");
        return long.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[19], CultureInfo.InvariantCulture);
    }

    private void WriteLog(params string[] lines) => File.WriteAllLines(Path.Combine(Images, "dump.log"), lines);

    private void WriteTool(string name, string body)
    {
        var path = Path.Combine(Tools, name);
        File.WriteAllText(path, "#!/bin/sh\n" + body + "\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    private (int ExitCode, byte[] Output, string Error) Release(WorkloadProcess root) =>
        LocalScript.Run(
            $"PATH='{Tools}':$PATH\n" + CriuScripts.ReleaseNetworkLock,
            [Images, root.Pid.ToString(CultureInfo.InvariantCulture), root.StartTime.ToString(CultureInfo.InvariantCulture)]);
}
