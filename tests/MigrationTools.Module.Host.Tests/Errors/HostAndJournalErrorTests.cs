using System.Collections;
using System.Management.Automation;
using MigrationTools.Module.Host.Tests.Fixtures;

namespace MigrationTools.Module.Host.Tests.Errors;

/// <summary>
/// The errors of hosts that cannot be reached (an ssh_config naming a loopback port nobody listens on) and of
/// migrations a journal of the test's own holds, or does not.
/// </summary>
public sealed class HostAndJournalErrorTests(SessionFixture fixture) : IClassFixture<SessionFixture>, IDisposable
{
    private const string Computer = UnreachableHosts.Refusing;
    private const string Synced = "m-00000000000b";
    private const string Aborted = "m-00000000000a";
    private const string Missing = "m-0000000000ff";
    private const string Damaged = "m-0000000000ee";

    private readonly TestJournal _journal = new(fixture.Session);

    public static TheoryData<string> WorkloadCmdlets => CmdletCalls.Of(["Register-Workload", .. CmdletCalls.WorkloadCmdlets]);

    public static TheoryData<string> PhaseCmdlets => CmdletCalls.Of(CmdletCalls.PhaseCmdlets);

    public static TheoryData<string> StartingCmdlets => CmdletCalls.Of("Start-Migration", "Move-Workload");

    public static TheoryData<string> PhasesAnAbortedMigrationRefuses => CmdletCalls.Of("Sync-Migration", "Switch-Migration", "Complete-Migration", "Undo-Migration");

    public void Dispose() => _journal.Dispose();

    [Fact]
    public void GetWorkloadReportsAHostThatRefusesTheConnectionAsConnectionFailedAndGoesOnWithTheNext()
    {
        var result = Run("Get-Workload", new Hashtable
        {
            ["ComputerName"] = new[] { Computer, UnreachableHosts.AlsoRefusing },
            ["SshConfigFile"] = fixture.Hosts.ConfigPath,
        });

        Assert.Null(result.Terminating);
        Assert.Equal(2, result.Errors.Count);
        foreach (var error in result.Errors)
        {
            Assert.Equal(ErrorAssert.QualifiedId(fixture.Session, ErrorIds.ConnectionFailed, "Get-Workload"), error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.ConnectionError, error.CategoryInfo.Category);
        }

        Assert.Equal([Computer, UnreachableHosts.AlsoRefusing], result.Errors.Select(e => (string)e.TargetObject).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void GetWorkloadByNameOnAnUnreachableHostReportsOnlyTheConnection()
    {
        var result = Run("Get-Workload", new Hashtable { ["ComputerName"] = Computer, ["Name"] = "web", ["SshConfigFile"] = fixture.Hosts.ConfigPath });

        ErrorAssert.Single(fixture.Session, result, ErrorIds.ConnectionFailed, "Get-Workload", ErrorCategory.ConnectionError, Computer);
    }

    [Theory]
    [MemberData(nameof(WorkloadCmdlets))]
    public void AWorkloadCmdletReportsAnUnreachableHostAsConnectionFailedForTheWorkload(string command)
    {
        var result = Run(command, Parameters(command));

        ErrorAssert.Single(fixture.Session, result, ErrorIds.ConnectionFailed, command, ErrorCategory.ConnectionError, $"web on {Computer}");
    }

    [Theory]
    [MemberData(nameof(StartingCmdlets))]
    public void StartingAMigrationFromAnUnreachableHostIsMigrationRefusedAndRecordsNothing(string command)
    {
        var result = Run(command, Parameters(command));

        ErrorAssert.Single(fixture.Session, result, ErrorIds.MigrationRefused, command, ErrorCategory.InvalidOperation, $"web on {Computer}");
        Assert.Empty(_journal.Snapshot());
    }

    [Fact]
    public void TestMigrationWritesAFailedPlanWithoutAnErrorForAnUnreachableSource()
    {
        var result = Run("Test-Migration", Parameters("Test-Migration"));

        Assert.Empty(result.AllErrors);
        var plan = Assert.Single(result.Output);
        Assert.Equal("MigrationTools.MigrationPlan", plan.BaseObject.GetType().FullName);
        Assert.False((bool)plan.Properties["Passed"].Value);
        var failed = ((IEnumerable)plan.Properties["Checks"].Value).Cast<object>().Select(PSObject.AsPSObject)
            .Where(c => !(bool)c.Properties["Passed"].Value).Select(c => (string)c.Properties["Target"].Value).ToArray();
        Assert.Contains(Computer, failed);
        Assert.Empty(_journal.Snapshot());
    }

    [Theory]
    [MemberData(nameof(PhaseCmdlets))]
    public void APhaseCmdletReportsEachIdItCannotActOnAndGoesOnWithTheNext(string command)
    {
        _journal.Add(Synced, "web", "Begun", "Synced");
        _journal.Corrupt(Damaged);
        var before = _journal.Snapshot();
        var parameters = Parameters(command);
        parameters["Id"] = new[] { Missing, "not-an-id", Damaged };

        var result = Run(command, parameters);

        Assert.Null(result.Terminating);
        Assert.Equal(3, result.Errors.Count);
        ErrorAssert.Matches(fixture.Session, result.Errors[0], ErrorIds.MigrationNotFound, command, ErrorCategory.ObjectNotFound, Missing);
        ErrorAssert.Matches(fixture.Session, result.Errors[1], ErrorIds.InvalidMigrationId, command, ErrorCategory.InvalidArgument, "not-an-id");
        ErrorAssert.Matches(fixture.Session, result.Errors[2], ErrorIds.JournalCorrupt, command, ErrorCategory.InvalidData, Damaged);
        Assert.Equal(before, _journal.Snapshot());
    }

    [Theory]
    [MemberData(nameof(PhaseCmdlets))]
    public void APhaseCmdletFindsNoMigrationInAJournalThatDoesNotExistAndCreatesNone(string command)
    {
        var result = Run(command, Parameters(command));

        ErrorAssert.Single(fixture.Session, result, ErrorIds.MigrationNotFound, command, ErrorCategory.ObjectNotFound, CmdletCalls.SomeMigrationId);
        Assert.False(Directory.Exists(_journal.Directory));
    }

    [Theory]
    [MemberData(nameof(PhasesAnAbortedMigrationRefuses))]
    public void APhaseAnAbortedMigrationCannotTakeIsMigrationRefusedWithTheMigrationAsTarget(string command)
    {
        _journal.Add(Aborted, "web", "Begun", "Aborted");
        var before = _journal.Snapshot();
        var parameters = Parameters(command);
        parameters["Id"] = Aborted;

        var result = Run(command, parameters);

        var error = Assert.Single(result.AllErrors);
        ErrorAssert.MatchesMigration(fixture.Session, error, ErrorIds.MigrationRefused, command, ErrorCategory.InvalidOperation, Aborted);
        Assert.Equal(before, _journal.Snapshot());
    }

    [Theory]
    [InlineData("Complete-Migration")]
    [InlineData("Undo-Migration")]
    public void CompletingOrUndoingASyncedMigrationIsMigrationRefused(string command)
    {
        _journal.Add(Synced, "web", "Begun", "Synced");
        var parameters = Parameters(command);
        parameters["Id"] = Synced;

        var result = Run(command, parameters);

        ErrorAssert.MatchesMigration(fixture.Session, Assert.Single(result.AllErrors), ErrorIds.MigrationRefused, command, ErrorCategory.InvalidOperation, Synced);
    }

    [Fact]
    public void SwitchMigrationReportsAnUnreachableSourceAsConnectionFailedWithTheMigrationAsTarget()
    {
        _journal.Add(Synced, "web", Computer, UnreachableHosts.AlsoRefusing, ["Begun", "Synced"]);
        var parameters = Parameters("Switch-Migration");
        parameters["Id"] = Synced;

        var result = Run("Switch-Migration", parameters);

        ErrorAssert.MatchesMigration(fixture.Session, Assert.Single(result.AllErrors), ErrorIds.ConnectionFailed, "Switch-Migration", ErrorCategory.ConnectionError, Synced);
    }

    [Fact]
    public void StopMigrationThatCannotReachTheHostsIsMigrationFailedWithTheCauseAsCategory()
    {
        _journal.Add(Synced, "web", Computer, UnreachableHosts.AlsoRefusing, ["Begun", "Synced"]);
        var parameters = Parameters("Stop-Migration");
        parameters["Id"] = Synced;

        var result = Run("Stop-Migration", parameters);

        ErrorAssert.MatchesMigration(fixture.Session, Assert.Single(result.AllErrors), ErrorIds.MigrationFailed, "Stop-Migration", ErrorCategory.ConnectionError, Synced);
    }

    [Fact]
    public void GetMigrationReportsUnknownInvalidAndDamagedIdsAndListsTheRest()
    {
        _journal.Add(Synced, "web", "Begun", "Synced");
        var damagedFile = _journal.Corrupt(Damaged);

        var result = Run("Get-Migration", new Hashtable { ["Id"] = new[] { Synced, Missing, "web", Damaged }, ["JournalPath"] = _journal.Directory });

        Assert.Equal([Synced], result.Property("Id"));
        Assert.Null(result.Terminating);
        var byId = result.Errors.ToDictionary(e => e.FullyQualifiedErrorId.Split(',')[0]);
        Assert.Equal(3, byId.Count);
        ErrorAssert.Matches(fixture.Session, byId[ErrorIds.InvalidMigrationId], ErrorIds.InvalidMigrationId, "Get-Migration", ErrorCategory.InvalidArgument, "web");
        ErrorAssert.Matches(fixture.Session, byId[ErrorIds.MigrationNotFound], ErrorIds.MigrationNotFound, "Get-Migration", ErrorCategory.ObjectNotFound, Missing);
        ErrorAssert.Matches(fixture.Session, byId[ErrorIds.JournalCorrupt], ErrorIds.JournalCorrupt, "Get-Migration", ErrorCategory.InvalidData, damagedFile);
    }

    [Fact]
    public void GetMigrationReportsAJournalPathThatNamesNoDirectoryAsJournalUnavailable()
    {
        var result = Run("Get-Migration", new Hashtable { ["JournalPath"] = _journal.Directory });

        ErrorAssert.Single(fixture.Session, result, ErrorIds.JournalUnavailable, "Get-Migration", ErrorCategory.InvalidArgument, _journal.Directory);
        Assert.False(Directory.Exists(_journal.Directory));
    }

    [Theory]
    [MemberData(nameof(StartingCmdlets))]
    public void AJournalPathThatNamesAFileIsJournalUnavailable(string command)
    {
        var parameters = Parameters(command);
        parameters["JournalPath"] = fixture.Hosts.ConfigPath;

        var result = Run(command, parameters);

        // Like every error of one input, it names the workload; its message names the file.
        ErrorAssert.Single(fixture.Session, result, ErrorIds.JournalUnavailable, command, ErrorCategory.InvalidArgument, $"web on {Computer}");
        Assert.Contains($"{fixture.Hosts.ConfigPath} is a file, not a directory", result.Errors[0].ToString(), StringComparison.Ordinal);
    }

    private Hashtable Parameters(string command) =>
        CmdletCalls.Parameters(fixture.Session, command, Computer, _journal.Directory, fixture.Hosts.ConfigPath);

    private Hosting.Invocation Run(string command, Hashtable parameters) =>
        fixture.Session.Run(ps => ps.AddCommand(command).AddParameters(parameters));
}
