using MigrationTools.Engine.Journal;
using MigrationTools.Engine.Migrations;
using MigrationTools.Engine.Phases;
using MigrationTools.Engine.Workloads;
using MigrationTools.Lab.Tests.Lab;
using Xunit.Abstractions;

namespace MigrationTools.Lab.Tests.Draining;

/// <summary>Draining h1 of several live counter services at once, to h2 and h3, within the per-host limit.</summary>
[Collection(LabCollection.Name)]
public sealed class DrainLabTests(LabFixture lab, ITestOutputHelper output)
{
    private const int PerHost = 2;
    private static readonly string[] Destinations = ["h2", "h3"];
    private static readonly string[] Hosts = ["h1", "h2", "h3"];

    private static readonly MigrationState[] Continuable =
        [MigrationState.Created, MigrationState.Begun, MigrationState.Synced, MigrationState.Switched, MigrationState.Completed];

    [LabFact]
    public async Task SixLiveWorkloadsEachRunOnOneDestinationWithTheirDataAndNeverMoreThanTheLimitActOnAHost()
    {
        await using var fleet = new DrainFleet(lab, 6);
        var before = await fleet.StartAsync();
        var engine = fleet.NewEngine(new HostLimits { MaxMigrationsPerHost = PerHost });

        var run = await fleet.DrainAsync(engine, throttle: 3, Destinations);

        Describe(run, fleet);
        AssertOutcome(run, succeeded: 6, failed: 0);
        Assert.Empty(run.Failed);
        Assert.Equal(Destinations, run.Destinations.Values.Distinct().Order());
        await Task.WhenAll(fleet.Members.Select(async member =>
        {
            var destination = run.Destinations[member.Name];
            Assert.Equal([destination], await fleet.RunningOnAsync(member));
            var now = await fleet.ReadAsync(member);
            Assert.Equal(destination, now.Hostname);
            Assert.Equal(before[member.Name].State.Token, now.Token);
            Assert.True(now.Counter >= before[member.Name].State.Counter, $"{member.Name} counts from {now.Counter}, below {before[member.Name].State.Counter}");
            Assert.True(await fleet.LogIntactAsync(destination, member), $"{member.Name}'s log on {destination} has a gap or a repeat");
            Assert.Equal(before[member.Name].Checksum, await fleet.ChecksumAsync(destination, member));
        }));

        var records = new MigrationJournal(fleet.JournalDirectory).List().Records;
        Assert.All(records, r => Assert.Equal(MigrationState.Completed, r.State));
        foreach (var host in Hosts)
        {
            var most = MostAtOnce(records, host);
            output.WriteLine($"{host}: at most {most} migration phase(s) at once");
            Assert.InRange(most, 1, PerHost);
        }

        // Throttle 3 over a limit of 2: the source was kept busy with two at once, never three.
        Assert.Equal(PerHost, MostAtOnce(records, "h1"));
    }

    [LabFact]
    public async Task AWorkloadFailingItsHealthCheckRollsBackAloneWhileTheOthersFinish()
    {
        // The second service is healthy only on h1: its restore elsewhere works, its health check fails.
        var onlyOnH1 = HealthCheck.ForCommand(["sh", "-c", "test \"$(hostname)\" = h1"], 3);
        await using var fleet = new DrainFleet(lab, 3, i => i == 1 ? onlyOnH1 : null);
        var before = await fleet.StartAsync();
        var engine = fleet.NewEngine(new HostLimits { MaxMigrationsPerHost = PerHost });

        var run = await fleet.DrainAsync(engine, throttle: 3, Destinations);

        Describe(run, fleet);
        AssertOutcome(run, succeeded: 2, failed: 1);
        var (subject, error) = Assert.Single(run.Failed);
        var sick = fleet.Members[1];
        Assert.StartsWith(sick.Name.Value, subject, StringComparison.Ordinal);
        var failure = Assert.IsType<MigrationFailedException>(error);
        Assert.True(failure.RolledBack);
        Assert.Equal(MigrationState.Synced, failure.Record!.State);
        Assert.Equal(WorkloadOwner.Source, failure.Record.Owner);
        Assert.Equal(["h1"], await fleet.RunningOnAsync(sick));
        var back = await fleet.ReadAsync(sick);
        Assert.Equal(("h1", before[sick.Name].State.Token), (back.Hostname, back.Token));
        Assert.True(await fleet.LogIntactAsync("h1", sick));

        foreach (var member in fleet.Members.Where(m => m != sick))
        {
            var destination = run.Destinations[member.Name];
            Assert.Equal([destination], await fleet.RunningOnAsync(member));
            Assert.Equal(before[member.Name].State.Token, (await fleet.ReadAsync(member)).Token);
            Assert.Equal(before[member.Name].Checksum, await fleet.ChecksumAsync(destination, member));
        }
    }

    [LabFact]
    public async Task CancellingMidDrainLeavesEachMigrationContinuableAndADrainRunAgainFinishesWithNothingRunningTwice()
    {
        await using var fleet = new DrainFleet(lab, 4);
        var before = await fleet.StartAsync();
        var engine = fleet.NewEngine(new HostLimits { MaxMigrationsPerHost = PerHost });
        using var cancel = new CancellationTokenSource();

        // Cancelled once a move has reached its switch: others are copying or waiting; the switch rolls back or commits.
        var first = await fleet.DrainAsync(engine, throttle: 3, Destinations, run =>
        {
            if (run.Progress.Any(p => p.Phase == MigrationPhase.Switch))
            {
                cancel.Cancel();
            }
        }, cancel.Token);

        Describe(first, fleet);
        Assert.True(first.Summary!.Failed >= 1, "nothing was running when the drain was cancelled");
        Assert.All(first.Failed, f => Assert.True(
            f.Error is OperationCanceledException || f.Error.InnerException is OperationCanceledException || f.Error is MigrationFailedException { RolledBack: true },
            $"{f.Subject} failed otherwise than by the cancellation: {f.Error}"));
        foreach (var record in new MigrationJournal(fleet.JournalDirectory).List().Records)
        {
            output.WriteLine($"after the cancel: {record.Workload} {record.State} {record.Owner} active={record.ActivePhase}");
            Assert.Null(record.ActivePhase);
            Assert.Contains(record.State, Continuable);
        }

        foreach (var member in fleet.Members)
        {
            Assert.Single(await fleet.RunningOnAsync(member));
            Assert.Equal(before[member.Name].State.Token, (await fleet.ReadAsync(member)).Token);
        }

        // Run again, as a new controller would: the active migrations continue to their destinations, the rest begin.
        var again = await fleet.DrainAsync(fleet.NewEngine(new HostLimits { MaxMigrationsPerHost = PerHost }), throttle: 3, Destinations);

        Describe(again, fleet);
        Assert.Equal(0, again.Summary!.Failed);
        var records = new MigrationJournal(fleet.JournalDirectory).List().Records;
        foreach (var member in fleet.Members)
        {
            var moved = Assert.Single(records, r => r.Workload == member.Name && r.State == MigrationState.Completed);
            Assert.Equal([moved.Destination], await fleet.RunningOnAsync(member));
            var now = await fleet.ReadAsync(member);
            Assert.Equal((moved.Destination, before[member.Name].State.Token), (now.Hostname, now.Token));
            Assert.True(await fleet.LogIntactAsync(moved.Destination, member));
            Assert.Equal(before[member.Name].Checksum, await fleet.ChecksumAsync(moved.Destination, member));
        }

        Assert.All(Hosts, host => Assert.InRange(MostAtOnce(records, host), 0, PerHost));
    }

    /// <summary>The most phases of these migrations acting on <paramref name="host"/> at one instant, from the times the engine recorded.</summary>
    private static int MostAtOnce(IEnumerable<MigrationRecord> records, string host)
    {
        var changes = records
            .Where(r => r.Source == host || r.Destination == host)
            .SelectMany(r => r.Phases.Where(p => p.End is not null).SelectMany(p => new[] { (At: p.Start, Change: 1), (At: p.End!.Value, Change: -1) }))
            .OrderBy(c => c.At).ThenBy(c => c.Change);
        int now = 0, most = 0;
        foreach (var (_, change) in changes)
        {
            now += change;
            most = Math.Max(most, now);
        }

        return most;
    }

    /// <summary>Every workload of the drain started; so many moved and so many failed. A failure names each failed move and why.</summary>
    private static void AssertOutcome(DrainRun run, int succeeded, int failed)
    {
        var summary = run.Summary!;
        Assert.True((summary.Succeeded, summary.Failed, summary.NotStarted) == (succeeded, failed, 0),
            $"expected {succeeded} moved and {failed} failed, all started; got {summary}" +
            string.Concat(run.Failed.Select(f => $"; {f.Subject}: {f.Error.GetType().Name}: {f.Error.Message}" +
                (f.Error.InnerException is { } inner ? $" ({inner.GetType().Name}: {inner.Message})" : ""))));
    }

    private void Describe(DrainRun run, DrainFleet fleet)
    {
        output.WriteLine($"summary: {run.Summary}");
        foreach (var member in fleet.Members)
        {
            output.WriteLine($"{member.Name} -> {run.Destinations.GetValueOrDefault(member.Name)}");
        }

        foreach (var (subject, error) in run.Failed)
        {
            output.WriteLine($"failed: {subject}: {error.GetType().Name}: {error.Message}");
        }
    }
}
