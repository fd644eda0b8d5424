using System.Collections;
using System.Diagnostics;
using System.Management.Automation;
using MigrationTools.Module.Host.Tests.Fixtures;
using MigrationTools.Module.Host.Tests.Hosting;

namespace MigrationTools.Module.Host.Tests.Stopping;

/// <summary>
/// PowerShell.Stop() (what Ctrl+C does) on a command stuck in an ssh connection: a host whose ProxyCommand only sleeps,
/// so ssh waits for a banner forever and never reaches a host key check. The engine must let go promptly, leave no ssh
/// (nor its proxy) behind, and close its progress bars.
/// </summary>
public sealed class StopTests : IDisposable
{
    private const string Stuck = "m-00000000000c";
    private static readonly TimeSpan StopLimit = TimeSpan.FromSeconds(5);

    private readonly UnreachableHosts _hosts = new();

    public static TheoryData<string> Commands => CmdletCalls.Of(
        "Get-Workload", "Register-Workload", "Start-Workload", "Stop-Workload", "Unregister-Workload",
        "Test-Migration", "Start-Migration", "Move-Workload", "Switch-Migration", "Stop-Migration");

    public void Dispose() => _hosts.Dispose();

    [Theory]
    [MemberData(nameof(Commands))]
    public async Task StopEndsACommandStuckInSshPromptlyAndLeavesNoSshBehind(string command)
    {
        using var session = new ModuleSession();
        using var journal = new TestJournal(session);
        var parameters = StuckCall(session, journal, command);
        if (!parameters.ContainsKey("Id") && parameters.ContainsKey("Destination"))
        {
            // Another workload than the journal's: one already being migrated would be refused, or continued, from the journal.
            parameters["Name"] = "api";
        }

        using var ps = session.NewPowerShell();
        ps.AddCommand(command).AddParameters(parameters);
        var running = ps.BeginInvoke();
        try
        {
            var proxies = await WaitForAsync(() => SshProcesses.Naming(_hosts.ProxyMarker), TimeSpan.FromSeconds(30));
            Assert.True(proxies.Count > 0, $"{command} never started ssh to the stuck host (state {ps.InvocationStateInfo.State}: {ps.InvocationStateInfo.Reason?.Message}).");
            Assert.False(running.IsCompleted);

            var watch = Stopwatch.StartNew();
            ps.Stop();
            watch.Stop();

            Assert.True(watch.Elapsed < StopLimit, $"Stop took {watch.Elapsed}.");
            Assert.Equal(PSInvocationState.Stopped, ps.InvocationStateInfo.State);
        }
        finally
        {
            if (!running.IsCompleted)
            {
                ps.Stop();
            }
        }

        Assert.Empty(await SshProcesses.WaitUntilGoneAsync(() => SshProcesses.ChildrenOfThisProcess(_hosts.ConfigPath), StopLimit));
        Assert.Empty(await SshProcesses.WaitUntilGoneAsync(() => SshProcesses.Naming(_hosts.ProxyMarker), StopLimit));
    }

    [Theory]
    [InlineData("Get-Workload")]
    [InlineData("Test-Migration")]
    [InlineData("Stop-Migration")]
    public async Task StopClosesEveryBarTheCommandOpened(string command)
    {
        using var session = new ModuleSession();
        using var journal = new TestJournal(session);
        var parameters = StuckCall(session, journal, command);

        using var ps = session.NewPowerShell();
        ps.AddCommand(command).AddParameters(parameters);
        ps.BeginInvoke();
        Assert.NotEmpty(await WaitForAsync(() => SshProcesses.Naming(_hosts.ProxyMarker), TimeSpan.FromSeconds(30)));
        Assert.NotEmpty(session.UI.Progress);

        ps.Stop();

        ProgressAssert.WellFormed(session.UI.Progress);
        // The Completed record reaches the host under the source id of the bar it closes.
        Assert.All(session.UI.Progress.GroupBy(p => p.ActivityId), bar => Assert.Single(bar.Select(p => p.SourceId).Distinct()));
    }

    [Fact]
    public async Task StopOfAPipelineOfManyHostsEndsEveryConnection()
    {
        using var session = new ModuleSession();
        using var ps = session.NewPowerShell();
        ps.AddScript("param($Config, $Hosts) $Hosts | Get-Workload -SshConfigFile $Config")
            .AddParameters(new Hashtable { ["Config"] = _hosts.ConfigPath, ["Hosts"] = new[] { UnreachableHosts.Stuck, UnreachableHosts.Stuck + "-too" } });
        File.AppendAllText(_hosts.ConfigPath, $"Host {UnreachableHosts.Stuck}-too\n    HostName 127.0.0.1\n    ProxyCommand {_hosts.ProxyMarker}\n");
        var running = ps.BeginInvoke();

        var proxies = await WaitForAsync(() => SshProcesses.Naming(_hosts.ProxyMarker), TimeSpan.FromSeconds(30));
        Assert.NotEmpty(proxies);
        var watch = Stopwatch.StartNew();
        ps.Stop();

        Assert.True(watch.Elapsed < StopLimit, $"Stop took {watch.Elapsed}.");
        Assert.True(running.IsCompleted);
        Assert.Empty(await SshProcesses.WaitUntilGoneAsync(() => SshProcesses.ChildrenOfThisProcess(_hosts.ConfigPath), StopLimit));
        Assert.Empty(await SshProcesses.WaitUntilGoneAsync(() => SshProcesses.Naming(_hosts.ProxyMarker), StopLimit));
    }

    /// <summary>
    /// The parameters of <paramref name="command"/> against the stuck host, with a migration of that host recorded in
    /// <paramref name="journal"/> for the commands that take an -Id.
    /// </summary>
    private Hashtable StuckCall(ModuleSession session, TestJournal journal, string command)
    {
        journal.Add(Stuck, "web", UnreachableHosts.Stuck, UnreachableHosts.Refusing, ["Begun", "Synced"]);
        var parameters = CmdletCalls.Parameters(session, command, UnreachableHosts.Stuck, journal.Directory, _hosts.ConfigPath);
        if (parameters.ContainsKey("Id"))
        {
            parameters["Id"] = Stuck;
        }

        return parameters;
    }

    private static async Task<IReadOnlyList<ProcessEntry>> WaitForAsync(Func<IReadOnlyList<ProcessEntry>> find, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var found = find();
            if (found.Count > 0 || DateTime.UtcNow >= deadline)
            {
                return found;
            }

            await Task.Delay(50);
        }
    }
}
