using MigrationTools.Engine.Journal;
using MigrationTools.Engine.Migrations;
using MigrationTools.Engine.Phases;
using MigrationTools.Engine.Preflight;
using MigrationTools.Engine.Workloads;

namespace MigrationTools.Engine.Tests.Migrations;

/// <summary>
/// A request that carries out a tested plan: a plan that failed is refused before any host is contacted (the hosts
/// here do not exist) and before anything is recorded; a plan must be the request's own.
/// </summary>
public sealed class MigrationPlanRequestTests : IDisposable
{
    private readonly string _directory = SampleRecords.TempDirectory();
    private readonly MigrationJournal _journal;
    private readonly MigrationEngine _engine;

    public MigrationPlanRequestTests()
    {
        _journal = new MigrationJournal(_directory);
        _engine = new MigrationEngine(_journal, new Engine.Remote.SshOptions { ConfigFile = "/dev/null" });
    }

    public void Dispose()
    {
        var root = Path.GetDirectoryName(_directory)!;
        if (Directory.Exists(root))
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Theory]
    [InlineData("begin")]
    [InlineData("move")]
    public async Task AFailedPlanIsRefusedBeforeAnyHostIsContactedNamingItsFailedChecks(string phase)
    {
        var plan = Plan(PreflightCheck.Pass(MigrationChecks.DistinctHosts, "h1 to h2"), PreflightCheck.Fail(MigrationChecks.SourceRunning, "web is stopped on h1."));
        var request = new MigrationRequest(WorkloadName.Parse("web"), "h1.invalid", "h2.invalid") { Plan = plan };

        var refused = await Assert.ThrowsAsync<MigrationPlanFailedException>(() => phase == "begin" ? _engine.BeginAsync(request) : _engine.MoveAsync(request));

        Assert.Same(plan, refused.Plan);
        Assert.Contains("SourceRunning: web is stopped on h1.", refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("DistinctHosts", refused.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_directory) && Directory.EnumerateFileSystemEntries(_directory).Any(), "Something was recorded.");
    }

    [Theory]
    [InlineData("db", "h1.invalid", "h2.invalid")]
    [InlineData("web", "h3.invalid", "h2.invalid")]
    [InlineData("web", "h1.invalid", "h3.invalid")]
    public void APlanForAnotherWorkloadOrOtherHostsIsNotTheRequestsOwn(string workload, string source, string destination)
    {
        var plan = Plan(PreflightCheck.Pass(MigrationChecks.DistinctHosts, "h1 to h2"));

        var wrong = Assert.Throws<ArgumentException>(() => new MigrationRequest(WorkloadName.Parse(workload), source, destination) { Plan = plan });

        Assert.Equal("Plan", wrong.ParamName);
    }

    private static MigrationPlan Plan(params PreflightCheck[] checks) =>
        new(WorkloadName.Parse("web"), "h1.invalid", "h2.invalid", CheckpointMode.Criu, checks, []);
}
