using System.Management.Automation;
using MigrationTools.Module.Host.Tests.Fixtures;
using MigrationTools.Module.Host.Tests.Hosting;

namespace MigrationTools.Module.Host.Tests.Completion;

/// <summary>
/// The module's argument completers as an editor or the console reaches them, through CommandCompletion.CompleteInput:
/// -ComputerName and -Destination from the ssh_config given to -SshConfigFile, -Id from the journal given to -JournalPath.
/// </summary>
public sealed class ArgumentCompleterTests : IDisposable
{
    private readonly ModuleSession _session = new();
    private readonly TestJournal _journal;
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "mt-host-completion-" + Guid.NewGuid().ToString("N")[..12]);
    private readonly string _config;
    private readonly string[] _ids = [.. Enumerable.Range(0, 5).Select(_ => "m-" + Guid.NewGuid().ToString("N")[..12])];

    public ArgumentCompleterTests()
    {
        Directory.CreateDirectory(_directory);
        _config = Path.Combine(_directory, "ssh config");
        File.WriteAllText(_config, """
            Host alpha
                HostName 127.0.0.41
            Host alpha-2 beta
                HostName 127.0.0.42
            Host *.internal
                User ops

            """);

        // Oldest first: each record is created a minute after the one before.
        _journal = new TestJournal(_session);
        _journal.Add(_ids[0], "web", "Begun");
        _journal.Add(_ids[1], "api", "Begun", "Synced");
        _journal.Add(_ids[2], "db", "Begun", "Synced", "Switching", "Switched");
        _journal.Add(_ids[3], "mail", "Begun", "Aborted");
        _journal.Add(_ids[4], "cache", "Begun", "Synced", "Switching", "Switched", "Completed");
    }

    public static TheoryData<string> ComputerNameCmdlets => CmdletCalls.Of(["Get-Workload", "Register-Workload", .. CmdletCalls.WorkloadCmdlets, .. CmdletCalls.RequestCmdlets]);

    public static TheoryData<string> RequestCmdlets => CmdletCalls.Of(CmdletCalls.RequestCmdlets);

    public void Dispose()
    {
        _journal.Dispose();
        _session.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    [Theory]
    [MemberData(nameof(ComputerNameCmdlets))]
    public void ComputerNameOffersTheHostAliasesOfTheSshConfigGiven(string command)
    {
        var completions = Complete($"{command} -SshConfigFile '{_config}' -ComputerName al");

        Assert.Equal(["alpha", "alpha-2"], completions.Select(c => c.CompletionText));
        Assert.Equal("alpha (127.0.0.41)", completions[0].ToolTip);
        Assert.All(completions, c => Assert.Equal(CompletionResultType.ParameterValue, c.ResultType));
    }

    [Theory]
    [MemberData(nameof(RequestCmdlets))]
    public void DestinationOffersThemTooButNoPattern(string command)
    {
        var completions = Complete($"{command} -SshConfigFile '{_config}' -ComputerName alpha -Name web -Destination ");

        Assert.Equal(["alpha", "alpha-2", "beta"], completions.Select(c => c.CompletionText));
    }

    [Theory]
    [InlineData("Sync-Migration", new[] { 1, 0 })]
    [InlineData("Switch-Migration", new[] { 1, 0 })]
    [InlineData("Complete-Migration", new[] { 2 })]
    [InlineData("Undo-Migration", new[] { 2 })]
    [InlineData("Stop-Migration", new[] { 1, 0 })]
    [InlineData("Get-Migration", new[] { 4, 3, 2, 1, 0 })]
    public void IdOffersTheMigrationsOfTheJournalGivenThatTheCommandCanActOnNewestFirst(string command, int[] offered)
    {
        var completions = Complete($"{command} -JournalPath '{_journal.Directory}' -Id ");

        Assert.Equal(offered.Select(i => _ids[i]), completions.Select(c => c.CompletionText));
    }

    [Fact]
    public void IdOffersTheMigrationsOfAWorkloadByItsNameWithWhatTheyAre()
    {
        var completion = Assert.Single(Complete($"Get-Migration -JournalPath '{_journal.Directory}' -Id db"));

        Assert.Equal(_ids[2], completion.CompletionText);
        Assert.StartsWith("db from h1 to h2: Switched (", completion.ToolTip, StringComparison.Ordinal);
    }

    [Fact]
    public void IdOffersNothingFromAJournalThatDoesNotExist()
    {
        Assert.Empty(Complete($"Sync-Migration -JournalPath '{Path.Combine(_directory, "none")}' -Id "));
    }

    private List<CompletionResult> Complete(string line)
    {
        using var ps = _session.NewPowerShell();
        return [.. CommandCompletion.CompleteInput(line, line.Length, null, ps).CompletionMatches];
    }
}
