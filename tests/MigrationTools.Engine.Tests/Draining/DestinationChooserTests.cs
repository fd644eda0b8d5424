using MigrationTools.Engine.Draining;
using MigrationTools.Engine.Journal;
using MigrationTools.Engine.Migrations;
using MigrationTools.Engine.Phases;
using MigrationTools.Engine.Preflight;
using MigrationTools.Engine.Remote;
using MigrationTools.Engine.Tests.Migrations;
using MigrationTools.Engine.Workloads;
using MigrationTools.Engine.Zfs;

namespace MigrationTools.Engine.Tests.Draining;

public sealed class DestinationChooserTests
{
    private const long GiB = 1L << 30;
    private static readonly SshDestination[] Both = [SshDestination.Parse("h2"), SshDestination.Parse("h3")];
    private readonly MigrationEngine _engine = new(new MigrationJournal(SampleRecords.TempDirectory()));

    private static MigrationRequest Request(string workload) => new(WorkloadName.Parse(workload), "h1", "h1");

    private static MigrationPlan Plan(MigrationRequest request, bool passed, long estimate) =>
        new(request.Workload, request.SourceHost.ToString(), request.DestinationHost.ToString(), CheckpointMode.Criu,
            [passed ? PreflightCheck.Pass("TargetFreeSpace", "room") : PreflightCheck.Fail("TargetFreeSpace", "no room on " + request.DestinationHost)],
            [new DatasetEstimate(DatasetName.Parse("tank/" + request.Workload), DatasetName.Parse("tank/" + request.Workload), estimate, estimate)]);

    private DestinationChooser Over(Func<string, (bool Passed, long Free)> hosts, long estimate = 0) =>
        new(_engine, (request, _) =>
        {
            var (passed, free) = hosts(request.DestinationHost.ToString());
            return Task.FromResult((Plan(request, passed, estimate), (long?)free));
        });

    [Fact]
    public async Task TheDestinationWithTheMostFreeSpaceIsChosen()
    {
        var chooser = Over(h => h == "h3" ? (true, 20 * GiB) : (true, 10 * GiB));
        var choice = await chooser.ChooseAsync(Request("web"), Both);
        Assert.Equal("h3", choice.Destination);
        Assert.Equal("h3", choice.Request.DestinationHost.ToString());
        Assert.Equal("h1", choice.Request.SourceHost.ToString());
        Assert.NotNull(choice.Request.Plan);
        Assert.Equal(2, choice.Candidates.Count);
        Assert.Contains("most free", choice.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EqualDestinationsTakeTurns()
    {
        var chooser = Over(_ => (true, 10 * GiB));
        var chosen = new List<string>();
        foreach (var name in new[] { "a", "b", "c", "d" })
        {
            chosen.Add((await chooser.ChooseAsync(Request(name), Both)).Destination);
        }

        Assert.Equal(["h2", "h3", "h2", "h3"], chosen);
    }

    [Fact]
    public async Task WhatTheChooserPlacedCountsAgainstADestinationsFreeSpace()
    {
        var chooser = Over(h => h == "h2" ? (true, 10 * GiB) : (true, 9 * GiB), estimate: 2 * GiB);
        var first = await chooser.ChooseAsync(Request("a"), Both);
        var second = await chooser.ChooseAsync(Request("b"), Both);
        Assert.Equal(("h2", "h3"), (first.Destination, second.Destination));
        Assert.Equal(8 * GiB, second.Candidates.Single(c => c.Host.ToString() == "h2").FreeBytes);
    }

    [Fact]
    public async Task ADestinationWhosePreflightFailsIsPassedOverWithItsReason()
    {
        var chooser = Over(h => h == "h2" ? (false, 50 * GiB) : (true, 1 * GiB));
        var choice = await chooser.ChooseAsync(Request("web"), Both);
        Assert.Equal("h3", choice.Destination);
        var refused = choice.Candidates.Single(c => !c.Passed);
        Assert.Equal("h2", refused.Host.ToString());
        Assert.Contains("no room on h2", refused.Refusal, StringComparison.Ordinal);
        Assert.Contains("h2: refused", choice.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WhenNoDestinationPassesTheRefusalNamesEach()
    {
        var chooser = Over(_ => (false, GiB));
        var refused = await Assert.ThrowsAsync<MigrationRefusedException>(() => chooser.ChooseAsync(Request("web"), Both));
        Assert.Contains("no room on h2", refused.Message, StringComparison.Ordinal);
        Assert.Contains("no room on h3", refused.Message, StringComparison.Ordinal);
    }
}
