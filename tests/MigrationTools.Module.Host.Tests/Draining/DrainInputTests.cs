using System.Collections;
using System.Management.Automation;
using MigrationTools.Module.Host.Tests.Fixtures;
using MigrationTools.Module.Host.Tests.Hosting;

namespace MigrationTools.Module.Host.Tests.Draining;

/// <summary>
/// What Move-Workload does with the drain's parameters before any migration runs: -ThrottleLimit and
/// -MaxMigrationsPerHost bound within 1-64, -BandwidthPerHost read as -BandwidthLimit is, -Order's names, and several
/// workloads whose source cannot be reached each reported for itself while the others go on.
/// </summary>
public sealed class DrainInputTests(SessionFixture fixture) : IClassFixture<SessionFixture>
{
    private const string Source = UnreachableHosts.Refusing;

    [Theory]
    [InlineData("Move-Workload", "ThrottleLimit", 0)]
    [InlineData("Move-Workload", "ThrottleLimit", 65)]
    [InlineData("Move-Workload", "MaxMigrationsPerHost", 0)]
    [InlineData("Move-Workload", "MaxMigrationsPerHost", 65)]
    [InlineData("Start-Migration", "ThrottleLimit", 0)]
    [InlineData("Sync-Migration", "ThrottleLimit", 65)]
    public void ALimitOutsideOneToSixtyFourIsRefusedBeforeAnyHostIsReached(string command, string parameter, int value)
    {
        var session = FreshSession();
        var parameters = Parameters(command);
        parameters[parameter] = value;

        var result = session.Run(ps => ps.AddCommand(command).AddParameters(parameters));

        var error = Assert.IsType<ErrorRecord>(result.Terminating);
        Assert.StartsWith("ParameterArgumentValidationError,", error.FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.Contains(parameter, error.Exception.Message, StringComparison.Ordinal);
        Assert.Empty(session.UI.Progress);
    }

    [Fact]
    public void ABandwidthPerHostThatIsNoRateEndsTheCommandNamingTheParameter()
    {
        var session = FreshSession();
        var parameters = Parameters("Move-Workload");
        parameters["BandwidthPerHost"] = "fast";

        var result = session.Run(ps => ps.AddCommand("Move-Workload").AddParameters(parameters));

        var error = Assert.IsType<ErrorRecord>(result.Terminating);
        Assert.Equal(ErrorAssert.QualifiedId(session, ErrorIds.InvalidBandwidthLimit, "Move-Workload"), error.FullyQualifiedErrorId);
        Assert.Contains("BandwidthPerHost", error.Exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheOrderIsSmallestFirstLargestFirstOrAsGiven()
    {
        var session = FreshSession();
        var parameters = Parameters("Move-Workload");
        parameters["Order"] = "Randomly";

        var result = session.Run(ps => ps.AddCommand("Move-Workload").AddParameters(parameters));

        var error = Assert.IsType<ErrorRecord>(result.Terminating);
        Assert.Contains("SmallestFirst", error.Exception.Message, StringComparison.Ordinal);
        Assert.Contains("LargestFirst", error.Exception.Message, StringComparison.Ordinal);
        Assert.Contains("AsGiven", error.Exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EveryWorkloadOfAnUnreachableSourceIsReportedForItselfAndNothingIsConfirmedOrDrawn()
    {
        var session = FreshSession();
        var result = session.Script(
            "param($Config, $Journal, $Source, $Destinations) 'web', 'api', 'db' | ForEach-Object { [pscustomobject]@{ ComputerName = $Source; Name = $_ } } | " +
            "Move-Workload -Destination $Destinations -ThrottleLimit 2 -SshConfigFile $Config -JournalPath $Journal -WhatIf",
            new Hashtable
            {
                ["Config"] = fixture.Hosts.ConfigPath,
                ["Journal"] = Path.Combine(fixture.Hosts.Directory, "journal"),
                ["Source"] = Source,
                ["Destinations"] = new[] { UnreachableHosts.AlsoRefusing, UnreachableHosts.Stuck },
            });

        Assert.Empty(result.Output);
        Assert.Null(result.Terminating);
        Assert.Equal(["web on nowhere", "api on nowhere", "db on nowhere"], result.Errors.Select(e => e.TargetObject?.ToString()));
        Assert.All(result.Errors, e => Assert.Equal(ErrorAssert.QualifiedId(session, ErrorIds.ConnectionFailed, "Move-Workload"), e.FullyQualifiedErrorId));
        Assert.DoesNotContain(session.UI.Lines, l => l.StartsWith("What if: ", StringComparison.Ordinal));
        ProgressAssert.WellFormed(session.UI.Progress);
    }

    [Fact]
    public void UnderErrorActionStopAFailureBeforeTheDrainDoesNotEndItButJoinsTheSummaryError()
    {
        var session = FreshSession();

        var result = session.Script(
            "param($Config, $Journal, $Source, $Destinations) 'web', 'api' | ForEach-Object { [pscustomobject]@{ ComputerName = $Source; Name = $_ } } | " +
            "Move-Workload -Destination $Destinations -ThrottleLimit 2 -SshConfigFile $Config -JournalPath $Journal -Confirm:$false -ErrorAction Stop",
            new Hashtable
            {
                ["Config"] = fixture.Hosts.ConfigPath,
                ["Journal"] = Path.Combine(fixture.Hosts.Directory, "journal"),
                ["Source"] = Source,
                ["Destinations"] = new[] { UnreachableHosts.AlsoRefusing, UnreachableHosts.Stuck },
            });

        // Both inputs were looked up (the first failing did not end the command), then one error names them.
        var error = Assert.Single(result.AllErrors);
        Assert.Equal(ErrorAssert.QualifiedId(session, ErrorIds.DrainFailed, "Move-Workload"), error.FullyQualifiedErrorId);
        Assert.StartsWith("2 of 2 migrations failed", error.Exception.Message, StringComparison.Ordinal);
        Assert.Equal(["web on nowhere", "api on nowhere"], Assert.IsType<object[]>(error.TargetObject).Select(t => t.ToString()));
    }

    /// <summary>The class's session, with what the host recorded for an earlier test forgotten.</summary>
    private ModuleSession FreshSession()
    {
        fixture.Session.UI.Clear();
        return fixture.Session;
    }

    private Hashtable Parameters(string command)
    {
        var parameters = CmdletCalls.Parameters(fixture.Session, command, Source, Path.Combine(fixture.Hosts.Directory, "journal"), fixture.Hosts.ConfigPath);
        if (parameters.ContainsKey("Id"))
        {
            parameters["Id"] = CmdletCalls.SomeMigrationId;
        }

        return parameters;
    }
}
