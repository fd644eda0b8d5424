using System.Collections;
using MigrationTools.Module.Host.Tests.Fixtures;
using MigrationTools.Module.Host.Tests.Hosting;

namespace MigrationTools.Module.Host.Tests.Progress;

/// <summary>
/// The progress records a host receives from the cmdlets that draw bars without a host to reach: stable activity ids,
/// percentages in range, parents that exist, and a Completed record closing every activity, also when the command fails.
/// </summary>
public sealed class ProgressRecordTests : IDisposable
{
    private const string Synced = "m-00000000000b";

    private readonly UnreachableHosts _hosts = new();

    public void Dispose() => _hosts.Dispose();

    /// <summary>Start-Migration and Switch-Migration are refused by their preflight check before they draw anything.</summary>
    [Theory]
    [InlineData("Get-Workload", true)]
    [InlineData("Test-Migration", true)]
    [InlineData("Move-Workload", true)]
    [InlineData("Stop-Migration", true)]
    [InlineData("Start-Migration", false)]
    [InlineData("Switch-Migration", false)]
    public void ACommandThatFailsOnAnUnreachableHostClosesEveryBarItOpened(string command, bool draws)
    {
        using var session = new ModuleSession();
        using var journal = new TestJournal(session);
        journal.Add(Synced, "web", UnreachableHosts.Refusing, UnreachableHosts.AlsoRefusing, ["Begun", "Synced"]);
        var parameters = CmdletCalls.Parameters(session, command, UnreachableHosts.Refusing, journal.Directory, _hosts.ConfigPath);
        if (parameters.ContainsKey("Id"))
        {
            parameters["Id"] = Synced;
        }

        var result = session.Run(ps => ps.AddCommand(command).AddParameters(parameters));

        // Test-Migration reports the unreachable host in its plan, every other command as an error.
        Assert.True(command == "Test-Migration" ? result.Output.Count == 1 : result.AllErrors.Count == 1);
        Assert.Equal(draws, session.UI.Progress.Count > 0);
        ProgressAssert.WellFormed(session.UI.Progress);
    }

    [Fact]
    public void ACommandsActivityIdIsTheSameInEverySessionAndDiffersFromAnotherCommands()
    {
        var first = ActivityIdsOf("Get-Workload");
        var second = ActivityIdsOf("Get-Workload");
        var other = ActivityIdsOf("Test-Migration");

        Assert.Single(first);
        Assert.Equal(first, second);
        Assert.Empty(first.Intersect(other));
    }

    [Fact]
    public void EachPipelineInputOfGetWorkloadReusesTheCommandsActivityAndClosesIt()
    {
        using var session = new ModuleSession();

        var result = session.Script(
            "param($Config, $Hosts) $Hosts | Get-Workload -SshConfigFile $Config",
            new Hashtable { ["Config"] = _hosts.ConfigPath, ["Hosts"] = new[] { UnreachableHosts.Refusing, UnreachableHosts.AlsoRefusing } });

        Assert.Equal(2, result.Errors.Count);
        var progress = session.UI.Progress;
        Assert.Single(progress.Select(p => p.ActivityId).Distinct());
        Assert.Equal(2, progress.Count(p => p.IsCompleted));
        ProgressAssert.WellFormed(progress);
    }

    private HashSet<int> ActivityIdsOf(string command)
    {
        using var session = new ModuleSession();
        var parameters = CmdletCalls.Parameters(session, command, UnreachableHosts.Refusing, Path.Combine(_hosts.Directory, "journal"), _hosts.ConfigPath);
        session.Run(ps => ps.AddCommand(command).AddParameters(parameters));
        return session.UI.Progress.Select(p => p.ActivityId).ToHashSet();
    }
}
