using System.Collections;
using System.Management.Automation;
using MigrationTools.Module.Host.Tests.Fixtures;
using MigrationTools.Module.Host.Tests.Hosting;

namespace MigrationTools.Module.Host.Tests.Confirmation;

/// <summary>
/// Undo-Migration -KeepChanges as a host sees it: the what-if text says the changes are kept (and without the switch
/// that they are discarded), a Migration object binds to it from the pipeline, and a migration it cannot take back,
/// or whose hosts cannot be reached, is refused with MigrationRefused and left as it was. In the binder-trace collection:
/// one of its tests reads the process-wide ParameterBinding trace, which another test's trace running alongside cuts short.
/// </summary>
[Collection(BindingTraceCollection.Name)]
public sealed class UndoKeepingChangesTests : IDisposable
{
    private const string Switched = "m-00000000001c";
    private const string Synced = "m-00000000001b";

    private readonly UnreachableHosts _hosts = new();
    private readonly ModuleSession _session = new();
    private readonly TestJournal _journal;

    public UndoKeepingChangesTests()
    {
        _journal = new TestJournal(_session);
        _journal.Add(Switched, "web", UnreachableHosts.Refusing, UnreachableHosts.AlsoRefusing, ["Begun", "Synced", "Switching", "Switched"]);
        _journal.Add(Synced, "db", UnreachableHosts.Refusing, UnreachableHosts.AlsoRefusing, ["Begun", "Synced"]);
        _session.UI.Clear();
    }

    public void Dispose()
    {
        _journal.Dispose();
        _session.Dispose();
        _hosts.Dispose();
    }

    [Fact]
    public void WhatIfWithKeepChangesSaysTheChangesAreKeptAndChangesNothing()
    {
        var before = _journal.Snapshot();

        var result = Run(Undo(Switched, ("KeepChanges", true), ("WhatIf", true)));

        Assert.Empty(result.AllErrors);
        Assert.Empty(result.Output);
        Assert.Equal(before, _journal.Snapshot());
        var line = Assert.Single(_session.UI.Lines, l => l.StartsWith("What if: ", StringComparison.Ordinal));
        Assert.Contains($"migration {Switched} (web from {UnreachableHosts.Refusing} to {UnreachableHosts.AlsoRefusing}, Switched)", line, StringComparison.Ordinal);
        Assert.Contains("is KEPT (sent back)", line, StringComparison.Ordinal);
        Assert.DoesNotContain("DISCARDED", line, StringComparison.Ordinal);
    }

    [Fact]
    public void WhatIfWithoutKeepChangesSaysTheChangesAreDiscarded()
    {
        var result = Run(Undo(Switched, ("WhatIf", true)));

        Assert.Empty(result.AllErrors);
        var line = Assert.Single(_session.UI.Lines, l => l.StartsWith("What if: ", StringComparison.Ordinal));
        Assert.Contains("is DISCARDED", line, StringComparison.Ordinal);
        Assert.DoesNotContain("KEPT", line, StringComparison.Ordinal);
    }

    [Fact]
    public void AMigrationObjectFromThePipelineBindsItsIdAndJournalWithKeepChanges()
    {
        var (result, bindings) = BindingTrace.Run(
            _session, "Undo-Migration", "Get-Migration -JournalPath $Journal -Id $Id | Undo-Migration -KeepChanges -WhatIf",
            new Hashtable { ["Journal"] = _journal.Directory, ["Id"] = Switched });

        Assert.Empty(result.AllErrors);
        var binding = Assert.Single(bindings);
        Assert.True(binding.ContainsKey("Id"));
        Assert.Equal(_journal.Directory, binding["JournalPath"]);
        var line = Assert.Single(_session.UI.Lines, l => l.StartsWith("What if: ", StringComparison.Ordinal));
        Assert.Contains($"migration {Switched} (", line, StringComparison.Ordinal);
        Assert.Contains("is KEPT (sent back)", line, StringComparison.Ordinal);
    }

    [Fact]
    public void KeepingTheChangesOfAMigrationThatIsNotSwitchedIsMigrationRefusedAndChangesNothing()
    {
        var before = _journal.Snapshot();

        var result = Run(Undo(Synced, ("KeepChanges", true), ("Confirm", false)));

        var error = Assert.Single(result.AllErrors);
        ErrorAssert.MatchesMigration(_session, error, ErrorIds.MigrationRefused, "Undo-Migration", ErrorCategory.InvalidOperation, Synced);
        Assert.Contains("an undo that keeps changes", error.Exception.Message, StringComparison.Ordinal);
        Assert.Equal(before, _journal.Snapshot());
    }

    [Fact]
    public void KeepingTheChangesWhenAHostCannotBeReachedIsMigrationRefusedNotAFailedPhase()
    {
        var before = _journal.Snapshot();

        var result = Run(Undo(Switched, ("KeepChanges", true), ("Confirm", false)));

        // Refused before anything changed: the workload keeps running on the destination, the record as it was.
        var error = Assert.Single(result.AllErrors);
        ErrorAssert.MatchesMigration(_session, error, ErrorIds.MigrationRefused, "Undo-Migration", ErrorCategory.InvalidOperation, Switched);
        Assert.Contains($"keeps running on {UnreachableHosts.AlsoRefusing}", error.Exception.Message, StringComparison.Ordinal);
        Assert.Equal(before, _journal.Snapshot());
    }

    private Hashtable Undo(string id, params (string Name, object Value)[] extra)
    {
        var parameters = new Hashtable { ["Id"] = id, ["JournalPath"] = _journal.Directory, ["SshConfigFile"] = _hosts.ConfigPath };
        foreach (var (name, value) in extra)
        {
            parameters[name] = value;
        }

        return parameters;
    }

    private Invocation Run(Hashtable parameters) =>
        _session.Run(ps => ps.AddCommand("Undo-Migration").AddParameters(parameters));
}
