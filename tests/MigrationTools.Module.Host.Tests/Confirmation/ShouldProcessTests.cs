using System.Collections;
using MigrationTools.Module.Host.Tests.Fixtures;
using MigrationTools.Module.Host.Tests.Hosting;

namespace MigrationTools.Module.Host.Tests.Confirmation;

/// <summary>
/// -WhatIf, -Confirm and ConfirmImpact as a host sees them: what-if text and no change, prompts through the host's
/// PromptForChoice (answered No, nothing happens; Yes, the command goes on), and no prompt with -Confirm:$false or -Force.
/// </summary>
public sealed class ShouldProcessTests : IDisposable
{
    private const string Synced = "m-00000000000b";
    private const string Aborted = "m-00000000000a";

    private readonly UnreachableHosts _hosts = new();
    private readonly ModuleSession _session = new();
    private readonly TestJournal _journal;

    public ShouldProcessTests()
    {
        _journal = new TestJournal(_session);
        _journal.Add(Synced, "web", UnreachableHosts.Refusing, UnreachableHosts.AlsoRefusing, ["Begun", "Synced"]);
        _journal.Add(Aborted, "db", UnreachableHosts.Refusing, UnreachableHosts.AlsoRefusing, ["Begun", "Aborted"]);
        _session.UI.Clear();
    }

    public static TheoryData<string> PhaseCmdlets => CmdletCalls.Of(CmdletCalls.PhaseCmdlets);

    public static TheoryData<string> StartingCmdlets => CmdletCalls.Of("Start-Migration", "Move-Workload");

    /// <summary>Every cmdlet that supports ShouldProcess.</summary>
    public static TheoryData<string> ConfirmingCmdlets => CmdletCalls.Of(
        [.. CmdletCalls.RemoteCmdlets.Where(c => c is not ("Get-Workload" or "Test-Migration"))]);

    public void Dispose()
    {
        _journal.Dispose();
        _session.Dispose();
        _hosts.Dispose();
    }

    [Theory]
    [MemberData(nameof(PhaseCmdlets))]
    public void APhaseWithWhatIfWritesWhatItWouldDoAndChangesNothing(string command)
    {
        var before = _journal.Snapshot();

        var result = Run(command, Phase(Synced, ("WhatIf", true)));

        Assert.Empty(result.Output);
        Assert.Empty(result.AllErrors);
        Assert.Equal(before, _journal.Snapshot());
        var line = Assert.Single(_session.UI.Lines, l => l.StartsWith("What if: ", StringComparison.Ordinal));
        Assert.Contains($"migration {Synced} (web from {UnreachableHosts.Refusing} to {UnreachableHosts.AlsoRefusing}, Synced)", line, StringComparison.Ordinal);
        Assert.Empty(_session.UI.Prompts);
        Assert.Empty(_session.UI.Progress);
    }

    [Theory]
    [MemberData(nameof(StartingCmdlets))]
    public void StartingAMigrationWithWhatIfWritesWhatItWouldDoAndCreatesNoJournal(string command)
    {
        var fresh = Path.Combine(_hosts.Directory, "fresh-journal");

        var result = Run(command, Request(command, ("JournalPath", fresh), ("WhatIf", true)));

        Assert.Empty(result.AllErrors);
        Assert.False(Directory.Exists(fresh));
        var line = Assert.Single(_session.UI.Lines, l => l.StartsWith("What if: ", StringComparison.Ordinal));
        Assert.Contains($"web on {UnreachableHosts.Refusing}", line, StringComparison.Ordinal);
        Assert.Contains(UnreachableHosts.AlsoRefusing, line, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(PhaseCmdlets))]
    public void APhaseWithConfirmAsksTheHostAndAnswerNoChangesNothing(string command)
    {
        var before = _journal.Snapshot();
        _session.UI.ChoiceAnswer = "No";

        var result = Run(command, Phase(Synced, ("Confirm", true)));

        Assert.Empty(result.Output);
        Assert.Empty(result.AllErrors);
        Assert.Equal(before, _journal.Snapshot());
        var prompt = Assert.Single(_session.UI.Prompts);
        Assert.Equal(HostPromptKind.Choice, prompt.Kind);
        Assert.Contains($"migration {Synced}", prompt.Message, StringComparison.Ordinal);
        Assert.Contains("No", prompt.Choices);
    }

    [Theory]
    [MemberData(nameof(StartingCmdlets))]
    public void StartingAMigrationWithConfirmAnsweredNoReachesNoHostAndRecordsNothing(string command)
    {
        var before = _journal.Snapshot();
        _session.UI.ChoiceAnswer = "No";

        var result = Run(command, Request(command, ("Confirm", true)));

        // Going on would have tried the unreachable source and reported MigrationRefused.
        Assert.Empty(result.AllErrors);
        Assert.Single(_session.UI.Prompts);
        Assert.Equal(before, _journal.Snapshot());
    }

    [Fact]
    public void AnswerYesToConfirmGoesOn()
    {
        _session.UI.ChoiceAnswer = "Yes";

        // Aborting an aborted migration reaches no host and writes the migration.
        var stopped = Run("Stop-Migration", Phase(Aborted, ("Confirm", true)));
        var started = Run("Start-Migration", Request("Start-Migration", ("Confirm", true)));

        Assert.Equal([Aborted], stopped.Property("Id"));
        Assert.Equal(ErrorAssert.QualifiedId(_session, ErrorIds.MigrationRefused, "Start-Migration"), Assert.Single(started.AllErrors).FullyQualifiedErrorId);
        Assert.Equal(2, _session.UI.Prompts.Count);
    }

    [Theory]
    [MemberData(nameof(ConfirmingCmdlets))]
    public void ConfirmFalseNeverPrompts(string command)
    {
        var parameters = CmdletCalls.Parameters(_session, command, UnreachableHosts.Refusing, _journal.Directory, _hosts.ConfigPath);
        if (parameters.ContainsKey("Id"))
        {
            parameters["Id"] = Synced;
        }

        var result = Run(command, parameters);

        Assert.False(parameters.ContainsKey("WhatIf"));
        Assert.Equal(false, parameters["Confirm"]);
        Assert.Empty(_session.UI.Prompts);

        // It went on: to the unreachable host, or (a phase the migration's state refuses, or a sync with nothing to send) to the journal.
        Assert.True(result.AllErrors.Count + result.Output.Count > 0);
    }

    [Theory]
    [InlineData("Complete-Migration")]
    [InlineData("Undo-Migration")]
    public void AHighImpactPhaseAsksEvenWithoutConfirmAndAnswerNoChangesNothing(string command)
    {
        var before = _journal.Snapshot();
        _session.UI.ChoiceAnswer = "No";

        var result = Run(command, Phase(Synced));

        Assert.Empty(result.AllErrors);
        Assert.Equal(before, _journal.Snapshot());
        Assert.Single(_session.UI.Prompts);
    }

    [Theory]
    [InlineData("Sync-Migration")]
    [InlineData("Switch-Migration")]
    [InlineData("Stop-Migration")]
    public void AMediumImpactPhaseDoesNotAskWithoutConfirm(string command)
    {
        var result = Run(command, Phase(Synced));

        Assert.Empty(_session.UI.Prompts);
        Assert.True(result.AllErrors.Count + result.Output.Count > 0);
    }

    [Fact]
    public void NoCmdletAsksForContinuationUnderForce()
    {
        var withForce = _session.Module.ExportedCmdlets.Values.Where(c => c.Parameters.ContainsKey("Force")).Select(c => c.Name).Order(StringComparer.Ordinal).ToArray();

        Assert.NotEmpty(withForce);
        foreach (var command in withForce)
        {
            var parameters = CmdletCalls.Parameters(_session, command, UnreachableHosts.Refusing, _journal.Directory, _hosts.ConfigPath);
            parameters["Force"] = true;

            var result = Run(command, parameters);

            Assert.True(result.AllErrors.Count + result.Output.Count > 0, $"{command} -Force did nothing.");
        }

        // Neither ShouldProcess nor ShouldContinue asked: -Force with -Confirm:$false runs unattended.
        Assert.Empty(_session.UI.Prompts);
    }

    private Hashtable Phase(string id, params (string Name, object Value)[] extra)
    {
        var parameters = new Hashtable { ["Id"] = id, ["JournalPath"] = _journal.Directory, ["SshConfigFile"] = _hosts.ConfigPath };
        foreach (var (name, value) in extra)
        {
            parameters[name] = value;
        }

        return parameters;
    }

    private Hashtable Request(string command, params (string Name, object Value)[] extra)
    {
        var parameters = CmdletCalls.Parameters(_session, command, UnreachableHosts.Refusing, _journal.Directory, _hosts.ConfigPath);
        parameters.Remove("Confirm");
        foreach (var (name, value) in extra)
        {
            parameters[name] = value;
        }

        return parameters;
    }

    private Invocation Run(string command, Hashtable parameters) =>
        _session.Run(ps => ps.AddCommand(command).AddParameters(parameters));
}
