using MigrationTools.Engine.Migrations;
using MigrationTools.Engine.Network;
using MigrationTools.Engine.Preflight;
using MigrationTools.Engine.Remote;
using MigrationTools.Engine.Workloads;

namespace MigrationTools.Cli.Tests;

/// <summary>Which exit code each way a command can end gets, and that docs/cli.md documents the same table.</summary>
public sealed class ExitCodeTests
{
    private static readonly MigrationRecord Synced = new(
        MigrationId.Parse("m-0123456789ab"), WorkloadName.Parse("web"), "h1", "h2", CheckpointMode.Criu, DateTimeOffset.UnixEpoch)
    {
        State = MigrationState.Synced,
    };

    public static TheoryData<string, Exception, int, string> Failures() => new()
    {
        { "bad input from the parser's view", new UsageException("--x: bad"), ExitCodes.Usage, "usage" },
        { "bad input the engine found", new ArgumentException("bad host", "source"), ExitCodes.Usage, "usage" },
        { "a refused phase", new MigrationRefusedException("workload is manual"), ExitCodes.Refused, "refused" },
        { "a refusal of the command line's own", new CommandRefusedException("not declared"), ExitCodes.Refused, "refused" },
        { "a switch rolled back", new MigrationFailedException("rolled back", Synced, rolledBack: true, null), ExitCodes.RolledBack, "rolledBack" },
        { "a sync that failed before any switch", new MigrationFailedException("sync failed", Synced, rolledBack: false, null), ExitCodes.RolledBack, "rolledBack" },
        { "an abort that failed before any switch", new MigrationFailedException("abort failed", Synced with { State = MigrationState.Begun }, false, null), ExitCodes.RolledBack, "rolledBack" },
        { "a begin that failed", new MigrationFailedException("copy failed", Synced with { State = MigrationState.Created }, false, null), ExitCodes.RolledBack, "rolledBack" },
        { "a switch whose rollback failed", new MigrationFailedException("stuck", Synced with { State = MigrationState.Failed }, false, null), ExitCodes.NeedsAttention, "needsAttention" },
        { "a complete that failed", new MigrationFailedException("complete failed", Synced with { State = MigrationState.Switched, Owner = WorkloadOwner.Destination }, false, null), ExitCodes.NeedsAttention, "needsAttention" },
        { "an undo that failed", new MigrationFailedException("undo failed", Synced with { State = MigrationState.Switched, Owner = WorkloadOwner.Source }, false, null), ExitCodes.NeedsAttention, "needsAttention" },
        { "a phase cut short by a crash", new MigrationFailedException("interrupted", Synced with { ActivePhase = MigrationPhase.Sync }, false, null), ExitCodes.NeedsAttention, "needsAttention" },
        { "a failure with no record", new MigrationFailedException("no record"), ExitCodes.NeedsAttention, "needsAttention" },
        { "an unreachable host", new ConnectionFailedException("h9 unreachable"), ExitCodes.Error, "error" },
        { "a remote command that failed", new RemoteException("failed"), ExitCodes.Error, "error" },
        { "a workload that would not start", new WorkloadException("exited at once"), ExitCodes.Error, "error" },
        { "a service address that could not be added", new ServiceAddressException("eth0 is down on h2", "h2", "sh -c ...", "down"), ExitCodes.Error, "error" },
        { "a switch rolled back as an address could not move", new MigrationFailedException("rolled back", Synced, rolledBack: true, new ServiceAddressException("no eth0")), ExitCodes.RolledBack, "rolledBack" },
        { "Ctrl+C outside a phase", new OperationCanceledException(), ExitCodes.Cancelled, "cancelled" },
    };

    [Theory]
    [MemberData(nameof(Failures))]
    public void EachFailureHasItsExitCode(string what, Exception exception, int exitCode, string kind)
    {
        var failure = CommandFailure.From(exception);

        Assert.True(exitCode == failure.ExitCode, $"{what}: exit code {failure.ExitCode}, expected {exitCode}");
        Assert.Equal(kind, failure.Kind);
    }

    [Fact]
    public void ARefusedPreflightCarriesItsPlanAndAFailedPhaseItsRecord()
    {
        var plan = new MigrationPlan(WorkloadName.Parse("web"), "h1", "h1", null, [PreflightCheck.Fail("DistinctHosts", "same host")], []);

        Assert.Same(plan, CommandFailure.From(new MigrationRefusedException("refused", plan)).Plan);
        Assert.Same(Synced, CommandFailure.From(new MigrationFailedException("failed", Synced, true, null)).Record);
    }

    [Fact]
    public void TheExitCodesAreDistinctAndDocsCliMdDocumentsEachOne()
    {
        var codes = ExitCodes.Documented.Select(c => c.Code).ToArray();
        Assert.Equal(codes.Length, codes.Distinct().Count());
        Assert.Equal([0, 1, 2, 3, 4, 5, 130], codes);

        var docs = File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", "cli.md"));
        foreach (var (code, meaning) in ExitCodes.Documented)
        {
            Assert.Contains($"| {code} | {meaning} |", docs, StringComparison.Ordinal);
        }
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "MigrationTools.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("No MigrationTools.sln above " + AppContext.BaseDirectory);
    }
}
