using MigrationTools.Engine.Migrations;
using MigrationTools.Engine.Remote;
using MigrationTools.Engine.Workloads;

namespace MigrationTools.Engine.Tests.Workloads;

/// <summary>The workload service's rules: which states allow unregistering and starting, and the stop timeout's limits.</summary>
public class WorkloadServiceTests
{
    private static readonly WorkloadName Web = WorkloadName.Parse("web");

    [Fact]
    public void OnlyAStoppedWorkloadMayBeUnregistered()
    {
        WorkloadService.CheckUnregister(new WorkloadStatus(Web, WorkloadState.Stopped, null), "h1");

        foreach (var state in new[] { WorkloadState.Running, WorkloadState.Frozen })
        {
            var status = new WorkloadStatus(Web, state, new WorkloadProcess(4242, 1));
            var refusal = Assert.Throws<WorkloadRefusedException>(() => WorkloadService.CheckUnregister(status, "h1"));

            Assert.Equal((WorkloadRefusal.NotStopped, "h1", Web, status), (refusal.Refusal, refusal.Host, refusal.Workload, refusal.Status));
            Assert.Contains("(process 4242)", refusal.Message, StringComparison.Ordinal);
            Assert.Contains("stop it first, then unregister it", refusal.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void AStoppedWorkloadStartsARunningOneIsLeftAloneAndAFrozenOneIsRefused()
    {
        var process = new WorkloadProcess(4242, 1);

        Assert.Null(WorkloadService.CheckStart(new WorkloadStatus(Web, WorkloadState.Stopped, null), "h1"));
        Assert.Equal(process, WorkloadService.CheckStart(new WorkloadStatus(Web, WorkloadState.Running, process), "h1"));
        var frozen = Assert.Throws<WorkloadRefusedException>(() => WorkloadService.CheckStart(new WorkloadStatus(Web, WorkloadState.Frozen, process), "h1"));
        Assert.Equal(WorkloadRefusal.Frozen, frozen.Refusal);
        Assert.Contains("Let the migration finish or undo it", frozen.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(WorkloadStopTimeout.MinSeconds - 1)]
    [InlineData(WorkloadStopTimeout.MaxSeconds + 1)]
    public async Task AStopTimeoutOutOfRangeIsRefusedBeforeAnyHostIsReached(int seconds)
    {
        // Nothing listens on the discard port of this address: reaching it would fail with a connection error instead.
        using var connection = new SshConnection(SshDestination.Parse("root@127.0.0.1:9"), SshOptions.Default with { ConnectTimeout = TimeSpan.FromSeconds(1) });
        var service = new WorkloadService(new WorkloadHost(connection));

        var error = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => service.StopAsync(Web, seconds));

        Assert.Equal(seconds, error.ActualValue);
        Assert.Contains($"from {WorkloadStopTimeout.MinSeconds} (SIGKILL at once) to {WorkloadStopTimeout.MaxSeconds} seconds", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheStopTimeoutLimitsAreTheSameForAWorkloadAndAMigration()
    {
        Assert.Equal(TimeSpan.Zero, WorkloadStopTimeout.Of(WorkloadStopTimeout.MinSeconds));
        Assert.Equal(TimeSpan.FromHours(1), WorkloadStopTimeout.Of(WorkloadStopTimeout.MaxSeconds));
        Assert.Equal(WorkloadStopTimeout.DefaultSeconds, new MigrationSettings().StopTimeoutSeconds);
        Assert.Equal(WorkloadStopTimeout.MaxSeconds, new MigrationSettings { StopTimeoutSeconds = WorkloadStopTimeout.MaxSeconds }.StopTimeoutSeconds);
        Assert.Throws<ArgumentOutOfRangeException>(() => new MigrationSettings { StopTimeoutSeconds = WorkloadStopTimeout.MaxSeconds + 1 });
        Assert.False(WorkloadStopTimeout.IsValid(TimeSpan.FromSeconds(WorkloadStopTimeout.MaxSeconds) + TimeSpan.FromMilliseconds(1)));
        Assert.False(WorkloadStopTimeout.IsValid(TimeSpan.FromMilliseconds(-1)));
    }
}
