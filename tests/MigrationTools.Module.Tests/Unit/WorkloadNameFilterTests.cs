using MigrationTools.Infrastructure;

namespace MigrationTools.Module.Tests.Unit;

/// <summary>
/// -Name's bookkeeping: what is listed, and which names without wildcards found nothing. PowerShell's own wildcard
/// matching is stubbed in the reference assembly, so the patterns here match by a prefix rule of the test's own.
/// </summary>
public sealed class WorkloadNameFilterTests
{
    [Fact]
    public void NoPatternsListEverythingAndMissNothing()
    {
        var filter = new WorkloadNameFilter(null);

        Assert.True(filter.ListsAll);
        Assert.True(filter.IsMatch("anything"));
        Assert.True(filter.ConcernsFile("/etc/migrationtools/workloads/broken.json"));
        Assert.Empty(filter.UnmatchedNames);
    }

    [Fact]
    public void ANameMatchesWhenAnyPatternDoes()
    {
        var filter = new WorkloadNameFilter([Literal("web"), Prefix("db")]);

        Assert.True(filter.IsMatch("web"));
        Assert.True(filter.IsMatch("db-2"));
        Assert.False(filter.IsMatch("cache"));
    }

    [Fact]
    public void OnlyNamesWithoutWildcardsThatMatchedNothingAreReportedOnceInTheOrderGiven()
    {
        var filter = new WorkloadNameFilter([Literal("web"), Literal("api"), Prefix("db"), Literal("mail"), Literal("api")]);

        filter.IsMatch("web");
        filter.IsMatch("cache");

        Assert.Equal(["api", "mail"], filter.UnmatchedNames);
    }

    [Fact]
    public void AMalformedManifestCountsAsFoundForTheNameItShouldDeclare()
    {
        var filter = new WorkloadNameFilter([Literal("web"), Literal("api")]);

        Assert.True(filter.ConcernsFile("/etc/migrationtools/workloads/web.json"));
        Assert.False(filter.ConcernsFile("/etc/migrationtools/workloads/other.json"));
        Assert.Equal(["api"], filter.UnmatchedNames);
    }

    private static NamePattern Literal(string name) => new(name, false, n => n == name);

    private static NamePattern Prefix(string prefix) => new(prefix + "*", true, n => n.StartsWith(prefix, StringComparison.Ordinal));
}
