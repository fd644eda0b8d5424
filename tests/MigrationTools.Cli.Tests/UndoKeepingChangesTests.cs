using System.Text.Json;
using MigrationTools.Engine.Journal;
using MigrationTools.Engine.Migrations;
using MigrationTools.Engine.Workloads;

namespace MigrationTools.Cli.Tests;

/// <summary>
/// <c>migration undo --keep-changes</c>: the flag is parsed and listed in the help, and an undo that cannot keep the
/// changes (a migration not switched, or hosts that cannot be reached) is refused with exit code 3 and the journal left
/// as it was. The hosts named here are loopback ports nobody listens on.
/// </summary>
public sealed class UndoKeepingChangesTests : IDisposable
{
    private const string Unreachable = "root@127.0.0.1:1";
    private const string AlsoUnreachable = "root@127.0.0.1:2";

    private readonly string _journal = Path.Combine(Path.GetTempPath(), "mt-cli-journal-" + Guid.NewGuid().ToString("N")[..8]);

    public void Dispose()
    {
        if (Directory.Exists(_journal))
        {
            Directory.Delete(_journal, recursive: true);
        }
    }

    [Theory]
    [InlineData(new[] { "migration", "undo", "m-0123456789ab", "--keep-changes" }, true)]
    [InlineData(new[] { "migration", "undo", "m-0123456789ab" }, false)]
    public void TheKeepChangesFlagIsParsed(string[] args, bool keep)
    {
        var app = new CliApplication(new CliConsole(TextWriter.Null, TextWriter.Null, false, 80));

        var result = app.Root.Parse(args);

        Assert.Empty(result.Errors);
        Assert.Equal(keep, result.GetValue<bool>("--keep-changes"));
    }

    [Fact]
    public async Task KeepChangesTakesNoValueButTheMigrationId()
    {
        var outcome = await CliHarness.RunAsync("migration", "undo", "--keep-changes", "m-0123456789ab", "extra", "--journal", _journal);

        Assert.Equal(ExitCodes.Usage, outcome.ExitCode);
        Assert.False(Directory.Exists(_journal));
    }

    [Fact]
    public async Task TheUndoHelpListsKeepChangesWithWhatItDoesAndAnExample()
    {
        var outcome = await CliHarness.RunAsync("migration", "undo", "--help");

        Assert.Equal(ExitCodes.Success, outcome.ExitCode);
        var options = outcome.Out[outcome.Out.IndexOf("Options:", StringComparison.Ordinal)..];
        Assert.Contains("--keep-changes", options, StringComparison.Ordinal);
        Assert.Contains("Move the workload back as it runs now", options, StringComparison.Ordinal);
        Assert.Contains("discarded, unless --keep-changes", outcome.Out, StringComparison.Ordinal);
        var examples = outcome.Out[outcome.Out.IndexOf("Examples:", StringComparison.Ordinal)..];
        Assert.Contains("migrationtools migration undo m-0123456789ab --keep-changes", examples, StringComparison.Ordinal);
    }

    [Fact]
    public async Task KeepingTheChangesOfAMigrationThatIsNotSwitchedIsRefusedWithExitCode3()
    {
        var id = Record(MigrationState.Begun, MigrationState.Synced);
        var before = Snapshot();

        var outcome = await CliHarness.RunAsync("migration", "undo", id, "--keep-changes", "--journal", _journal, "--json");

        Assert.Equal(ExitCodes.Refused, outcome.ExitCode);
        var error = JsonDocument.Parse(outcome.Out).RootElement.GetProperty("error");
        Assert.Equal("refused", error.GetProperty("kind").GetString());
        Assert.Contains("an undo that keeps changes", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Contains("an undo that keeps changes", outcome.Error, StringComparison.Ordinal);
        Assert.Equal(before, Snapshot());
    }

    [Fact]
    public async Task KeepingTheChangesWhenAHostCannotBeReachedIsRefusedWithExitCode3AndChangesNothing()
    {
        var id = Record(MigrationState.Begun, MigrationState.Synced, MigrationState.Switching, MigrationState.Switched);
        var before = Snapshot();

        var outcome = await CliHarness.RunAsync("migration", "undo", id, "--keep-changes", "--journal", _journal, "--ssh-config", "/dev/null");

        Assert.Equal(ExitCodes.Refused, outcome.ExitCode);
        Assert.Contains("keeping changes needs", outcome.Error, StringComparison.Ordinal);
        Assert.Contains($"keeps running on {AlsoUnreachable}", outcome.Error, StringComparison.Ordinal);
        Assert.Equal(before, Snapshot());
    }

    /// <summary>Records a migration of web between the unreachable hosts, moved through <paramref name="states"/>.</summary>
    private string Record(params MigrationState[] states)
    {
        var journal = new MigrationJournal(_journal);
        var record = journal.Create(new MigrationRecord(
            MigrationId.Parse("m-00000000c1a0"), WorkloadName.Parse("web"), Unreachable, AlsoUnreachable, CheckpointMode.Criu, DateTimeOffset.UtcNow));
        foreach (var state in states)
        {
            var phase = state switch
            {
                MigrationState.Begun => MigrationPhase.Begin,
                MigrationState.Synced => MigrationPhase.Sync,
                _ => MigrationPhase.Switch,
            };
            DateTimeOffset? end = state == MigrationState.Switching ? null : record.UpdatedAt.AddSeconds(30);
            record = journal.Save(MigrationStateMachine.Move(record, state, new PhaseRecord(phase, record.UpdatedAt, end, $"to {state}", 1024)));
        }

        return record.Id.ToString();
    }

    // The per-host slot files are locks a phase takes before it looks (like the journal's .lock), not what it records.
    private Dictionary<string, string> Snapshot() =>
        Directory.GetFiles(_journal, "*", SearchOption.AllDirectories)
            .Where(f => !f.Contains("/.host-slots/", StringComparison.Ordinal))
            .ToDictionary(f => f, File.ReadAllText);
}
