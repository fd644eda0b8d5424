using MigrationTools.Completers;
using MigrationTools.Engine.Migrations;
using MigrationTools.Engine.Workloads;

namespace MigrationTools.Module.Tests.Unit;

/// <summary>Which migrations complete -Id: those the command can act on, by id or workload prefix, newest first.</summary>
public sealed class MigrationIdCompletionTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 10, 0, 0, TimeSpan.Zero);

    private static readonly MigrationRecord[] Journal =
    [
        Record("m-aa0000000001", "web", MigrationState.Completed, T0),
        Record("m-aa0000000002", "web", MigrationState.Synced, T0.AddHours(2)),
        Record("m-bb0000000003", "db", MigrationState.Switched, T0.AddHours(1)),
        Record("m-cc0000000004", "cache", MigrationState.Begun, T0.AddHours(3)),
        Record("m-dd0000000005", "queue", MigrationState.Switching, T0.AddHours(4)),
        Record("m-ee0000000006", "mail", MigrationState.Created, T0.AddHours(5)),
    ];

    [Theory]
    [InlineData("Sync-Migration", new[] { "m-cc0000000004", "m-aa0000000002" })]
    [InlineData("Switch-Migration", new[] { "m-dd0000000005", "m-cc0000000004", "m-aa0000000002" })]
    [InlineData("Complete-Migration", new[] { "m-bb0000000003" })]
    [InlineData("Undo-Migration", new[] { "m-dd0000000005", "m-bb0000000003" })]
    [InlineData("Stop-Migration", new[] { "m-ee0000000006", "m-cc0000000004", "m-aa0000000002" })]
    [InlineData("Get-Migration", new[] { "m-ee0000000006", "m-dd0000000005", "m-cc0000000004", "m-aa0000000002", "m-bb0000000003", "m-aa0000000001" })]
    public void OffersTheMigrationsTheCommandCanActOnNewestFirst(string command, string[] expected)
    {
        Assert.Equal(expected, MigrationIdCompletion.Complete(Journal, command, "").Select(c => c.Text));
    }

    [Fact]
    public void MatchesTheIdOrTheWorkloadByPrefixWithoutRegardToCaseOrQuotes()
    {
        Assert.Equal(["m-aa0000000002", "m-aa0000000001"], MigrationIdCompletion.Complete(Journal, "Get-Migration", "M-AA").Select(c => c.Text));
        Assert.Equal(["m-aa0000000002", "m-aa0000000001"], MigrationIdCompletion.Complete(Journal, "Get-Migration", "'we").Select(c => c.Text));
        Assert.Equal(["m-aa0000000002"], MigrationIdCompletion.Complete(Journal, "switch-migration", "web").Select(c => c.Text));
        Assert.Empty(MigrationIdCompletion.Complete(Journal, "Get-Migration", "m-ff"));
    }

    [Fact]
    public void TheToolTipSaysWhatTheMigrationIs()
    {
        var candidate = Assert.Single(MigrationIdCompletion.Complete(Journal, "Complete-Migration", null));

        Assert.StartsWith("db from h1 to h2: Switched (1 sync), begun ", candidate.ToolTip, StringComparison.Ordinal);
        Assert.EndsWith(T0.AddHours(1).LocalDateTime.ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture), candidate.ToolTip, StringComparison.Ordinal);
    }

    private static MigrationRecord Record(string id, string workload, MigrationState state, DateTimeOffset created) =>
        new(MigrationId.Parse(id), WorkloadName.Parse(workload), "h1", "h2", CheckpointMode.Criu, created) { State = state, SyncCount = 1 };
}
