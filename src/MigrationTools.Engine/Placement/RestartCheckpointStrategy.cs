using System;
using System.Threading;
using System.Threading.Tasks;
using MigrationTools.Engine.Criu;
using MigrationTools.Engine.Journal;
using MigrationTools.Engine.Migrations;
using MigrationTools.Engine.Preflight;
using MigrationTools.Engine.Transfer;
using MigrationTools.Engine.Workloads;

namespace MigrationTools.Engine.Placement;

/// <summary>Cold migration: the workload is stopped on the source and started afresh on the destination; only its datasets travel.</summary>
internal sealed class RestartCheckpointStrategy : ICheckpointStrategy
{
    private RestartCheckpointStrategy()
    {
    }

    public static RestartCheckpointStrategy Instance { get; } = new();

    public CheckpointMode Mode => CheckpointMode.Restart;

    public PreflightCheck CheckStoppedSource(WorkloadName workload, string host) =>
        PreflightCheck.Pass(MigrationChecks.SourceRunning,
            $"{workload} is stopped on {host}; in restart mode its data moves and the switch starts it on the destination.", host);

    public Task<CheckpointPreflight> PreflightAsync(MigrationHosts hosts, MigrationSettings settings, CancellationToken cancellationToken) =>
        Task.FromResult(new CheckpointPreflight(Array.Empty<PreflightCheck>(), null));

    public Task<MemoryTransferChoice?> ChooseMemoryTransferAsync(MigrationHosts hosts, MigrationSettings settings, CancellationToken cancellationToken) =>
        Task.FromResult<MemoryTransferChoice?>(null);

    public Task<TimeSpan?> AwaitMemoryAsync(MigrationHosts hosts, MigrationRecord record, Action<string> report, CancellationToken cancellationToken) =>
        Task.FromResult<TimeSpan?>(null);

    public Task BreakMemoryTransferAsync(MigrationHosts hosts, MigrationRecord record, bool destinationReached, CancellationToken cancellationToken) =>
        Task.CompletedTask;

    public async Task<SourceCheckpoint?> HaltSourceAsync(
        MigrationHosts hosts, MigrationRecord record, WorkloadStatus source, Action<string> report, CancellationToken cancellationToken)
    {
        if (source.State != WorkloadState.Stopped)
        {
            report($"Stopping {record.Workload} on {record.Source}");
            await hosts.Source.Runtime.StopAsync(record.Workload, TimeSpan.FromSeconds(record.Settings.StopTimeoutSeconds), cancellationToken)
                .ConfigureAwait(false);
        }

        return null;
    }

    public Task ReleaseSourceAsync(MigrationHosts hosts, MigrationRecord record, Action<string> report, CancellationToken cancellationToken) =>
        Task.CompletedTask;

    // A stopped source has no frozen tree; a tree found frozen was halted by someone else, and resuming is all there is.
    public async Task RunFrozenSourceAsync(MigrationHosts hosts, MigrationRecord record, WorkloadProcess frozen, CancellationToken cancellationToken) =>
        await hosts.SourceCriu.ResumeAsync(frozen, cancellationToken).ConfigureAwait(false);

    public Task ClearEndedSourceAsync(MigrationHosts hosts, MigrationRecord record, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task<TransferResult?> ShipStateAsync(MigrationHosts hosts, MigrationRecord record, Action<string> report, CancellationToken cancellationToken) =>
        Task.FromResult<TransferResult?>(null);

    public async Task StartOnDestinationAsync(
        MigrationHosts hosts, MigrationRecord record, WorkloadManifest manifest, Action<string> report, CancellationToken cancellationToken)
    {
        report($"Starting {record.Workload} on {record.Destination}");
        await hosts.Destination.Runtime.StartAsync(manifest, cancellationToken).ConfigureAwait(false);
    }

    public async Task StartOnSourceAsync(MigrationHosts hosts, MigrationRecord record, WorkloadManifest manifest, CancellationToken cancellationToken) =>
        await hosts.Source.Runtime.StartAsync(manifest, cancellationToken).ConfigureAwait(false);

    public Task<bool> AdoptAsync(WorkloadHost host, CriuHost criu, MigrationRecord record, CancellationToken cancellationToken) =>
        Task.FromResult(false);

    public Task WaitForLeftoversAsync(MigrationHosts hosts, MigrationRecord record, bool destinationToo, CancellationToken cancellationToken) =>
        Task.CompletedTask;

    public Task KeepLogsAsync(MigrationHosts hosts, MigrationRecord record, MigrationJournal journal) => Task.CompletedTask;
}
