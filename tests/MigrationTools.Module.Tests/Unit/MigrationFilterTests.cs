using MigrationTools.Engine.Migrations;
using MigrationTools.Engine.Workloads;
using MigrationTools.Infrastructure;

namespace MigrationTools.Module.Tests.Unit;

/// <summary>
/// Get-Migration's filters. PowerShell's own wildcard matching is stubbed in the reference assembly, so workload
/// patterns here match by a prefix rule of the test's own.
/// </summary>
public sealed class MigrationFilterTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 10, 0, 0, TimeSpan.Zero);

    private static readonly MigrationRecord[] Journal =
    [
        Record("m-00000000000c", "web", MigrationState.Synced, T0.AddHours(2)),
        Record("m-00000000000a", "web", MigrationState.Completed, T0),
        Record("m-00000000000b", "db", MigrationState.Switched, T0.AddHours(1)),
        Record("m-00000000000d", "db-replica", MigrationState.Failed, T0.AddHours(1)),
    ];

    [Fact]
    public void WithoutFiltersEveryMigrationIsListedOldestFirst()
    {
        var filter = new MigrationFilter(null, null, null);

        Assert.Equal(["m-00000000000a", "m-00000000000b", "m-00000000000d", "m-00000000000c"], Ids(filter.Select(Journal)));
        Assert.Empty(filter.UnmatchedIds);
    }

    [Fact]
    public void FiltersByStateAndWorkloadPatternTogether()
    {
        var synced = new MigrationFilter(null, null, [MigrationState.Synced, MigrationState.Switched]);
        var db = new MigrationFilter(null, [Prefix("db")], null);
        var dbSwitched = new MigrationFilter(null, [Prefix("db")], [MigrationState.Switched]);
        var web = new MigrationFilter(null, [Literal("web")], [MigrationState.Completed]);

        Assert.Equal(["m-00000000000b", "m-00000000000c"], Ids(synced.Select(Journal)));
        Assert.Equal(["m-00000000000b", "m-00000000000d"], Ids(db.Select(Journal)));
        Assert.Equal(["m-00000000000b"], Ids(dbSwitched.Select(Journal)));
        Assert.Equal(["m-00000000000a"], Ids(web.Select(Journal)));
    }

    [Fact]
    public void AWorkloadWithoutMigrationsIsNoError()
    {
        var filter = new MigrationFilter(null, [Literal("mail")], null);

        Assert.Empty(filter.Select(Journal));
        Assert.Empty(filter.UnmatchedIds);
    }

    [Fact]
    public void AnIdTheJournalDoesNotHoldIsReportedButOneTheOtherFiltersLeaveOutIsNot()
    {
        var filter = new MigrationFilter(
            [MigrationId.Parse("m-00000000000a"), MigrationId.Parse("m-0000000000ff"), MigrationId.Parse("m-00000000000c"), MigrationId.Parse("m-0000000000ff")],
            null,
            [MigrationState.Synced]);

        Assert.Equal(["m-00000000000c"], Ids(filter.Select(Journal)));
        Assert.Equal(["m-0000000000ff"], filter.UnmatchedIds.Select(i => i.Value));
    }

    [Fact]
    public void AnEmptyListOfIdsMatchesNothing()
    {
        // -Id was given, but every value was invalid (and reported): nothing is listed rather than everything.
        var filter = new MigrationFilter([], null, null);

        Assert.Empty(filter.Select(Journal));
        Assert.Empty(filter.UnmatchedIds);
    }

    [Fact]
    public void AnUnreadableFileIsReportedUnlessTheIdsLeaveItOutAndThenCountsAsFound()
    {
        var all = new MigrationFilter(null, [Literal("web")], [MigrationState.Synced]);
        var some = new MigrationFilter([MigrationId.Parse("m-0000000000ee"), MigrationId.Parse("m-0000000000ff")], null, null);

        Assert.True(all.ConcernsFile("/j/m-0000000000ee.json"));
        Assert.True(all.ConcernsFile("/j/not-an-id.json"));
        Assert.True(some.ConcernsFile("/j/m-0000000000ee.json"));
        Assert.False(some.ConcernsFile("/j/m-000000000011.json"));
        Assert.False(some.ConcernsFile("/j/not-an-id.json"));
        Assert.False(some.ConcernsFile(null));
        Assert.Equal(["m-0000000000ff"], some.UnmatchedIds.Select(i => i.Value));
    }

    private static string[] Ids(IEnumerable<MigrationRecord> records) => records.Select(r => r.Id.Value).ToArray();

    private static MigrationRecord Record(string id, string workload, MigrationState state, DateTimeOffset created) =>
        new(MigrationId.Parse(id), WorkloadName.Parse(workload), "h1", "h2", CheckpointMode.Criu, created) { State = state };

    private static NamePattern Literal(string name) => new(name, false, n => n == name);

    private static NamePattern Prefix(string prefix) => new(prefix + "*", true, n => n.StartsWith(prefix, StringComparison.Ordinal));
}
