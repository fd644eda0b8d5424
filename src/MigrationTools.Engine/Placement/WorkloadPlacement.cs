using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using MigrationTools.Engine.Criu;
using MigrationTools.Engine.Journal;
using MigrationTools.Engine.Migrations;
using MigrationTools.Engine.Network;
using MigrationTools.Engine.Remote;
using MigrationTools.Engine.Transfer;
using MigrationTools.Engine.Workloads;
using MigrationTools.Engine.Zfs;

namespace MigrationTools.Engine.Placement;

/// <summary>
/// Puts one migration's workload on one of its two hosts and takes it off the other: halting, starting, adopting,
/// health, the datasets' ownership marks and the declaration. The switch, its rollback and undo all place the
/// workload through this; what differs between checkpoint modes is its <see cref="Strategy"/>. The workload's service
/// addresses go where it runs: never held by both hosts at once, and held by the host that is about to run it before it
/// starts there.
/// </summary>
internal sealed class WorkloadPlacement
{
    private readonly MigrationHosts _hosts;
    private readonly WorkloadManifest _manifest;
    private readonly ServiceAddressHost _sourceAddresses;
    private readonly ServiceAddressHost _destinationAddresses;

    public WorkloadPlacement(MigrationHosts hosts, WorkloadManifest manifest, ICheckpointStrategy strategy)
    {
        _hosts = hosts ?? throw new ArgumentNullException(nameof(hosts));
        _manifest = manifest ?? throw new ArgumentNullException(nameof(manifest));
        Strategy = strategy ?? throw new ArgumentNullException(nameof(strategy));
        _sourceAddresses = new ServiceAddressHost(hosts.SourceConnection);
        _destinationAddresses = new ServiceAddressHost(hosts.DestinationConnection);
    }

    /// <summary>How the workload's running state crosses over.</summary>
    public ICheckpointStrategy Strategy { get; }

    /// <summary>Declares the workload on the destination unless the same manifest is there already.</summary>
    public async Task DeclareOnDestinationAsync(CancellationToken cancellationToken)
    {
        var host = _hosts.Destination;
        var there = await host.Catalog.GetAsync(_manifest.Name, cancellationToken).ConfigureAwait(false);
        if (there is null)
        {
            await host.Catalog.RegisterAsync(_manifest, cancellationToken).ConfigureAwait(false);
        }
        else if (!there.Equals(_manifest))
        {
            throw new MigrationRefusedException(
                $"{host.Connection.Destination} now declares a different workload named {_manifest.Name}; unregister it there and switch again.");
        }
    }

    /// <summary>Removes the workload's manifest from the destination if it is this one, leaving anyone else's.</summary>
    public async Task UndeclareOnDestinationAsync(CancellationToken cancellationToken)
    {
        var host = _hosts.Destination;
        var there = await host.Catalog.GetAsync(_manifest.Name, cancellationToken).ConfigureAwait(false);
        if (there is not null && there.Equals(_manifest))
        {
            await host.Catalog.UnregisterAsync(_manifest.Name, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The workload's state on the source.</summary>
    public Task<WorkloadStatus> SourceStatusAsync(CancellationToken cancellationToken) =>
        _hosts.Source.Runtime.GetStatusAsync(_manifest.Name, cancellationToken);

    /// <summary>The workload's state on the destination.</summary>
    public Task<WorkloadStatus> DestinationStatusAsync(CancellationToken cancellationToken) =>
        _hosts.Destination.Runtime.GetStatusAsync(_manifest.Name, cancellationToken);

    /// <inheritdoc cref="ICheckpointStrategy.HaltSourceAsync"/>
    public Task<SourceCheckpoint?> HaltSourceAsync(MigrationRecord record, WorkloadStatus source, Action<string> report, CancellationToken cancellationToken) =>
        Strategy.HaltSourceAsync(_hosts, record, source, report, cancellationToken);

    /// <inheritdoc cref="ICheckpointStrategy.ChooseMemoryTransferAsync"/>
    public Task<MemoryTransferChoice?> ChooseMemoryTransferAsync(MigrationSettings settings, CancellationToken cancellationToken) =>
        Strategy.ChooseMemoryTransferAsync(_hosts, settings, cancellationToken);

    /// <inheritdoc cref="ICheckpointStrategy.AwaitMemoryAsync"/>
    public Task<TimeSpan?> AwaitMemoryAsync(MigrationRecord record, Action<string> report, CancellationToken cancellationToken) =>
        Strategy.AwaitMemoryAsync(_hosts, record, report, cancellationToken);

    /// <inheritdoc cref="ICheckpointStrategy.ReleaseSourceAsync"/>
    public Task ReleaseSourceAsync(MigrationRecord record, Action<string> report, CancellationToken cancellationToken) =>
        Strategy.ReleaseSourceAsync(_hosts, record, report, cancellationToken);

    /// <summary>
    /// Moves the service addresses to the destination once the source is halted: released there first, then added on the
    /// destination and announced. Both steps only change what is not yet as wanted, so a resumed switch redoes them.
    /// </summary>
    public async Task MoveAddressesToDestinationAsync(MigrationRecord record, Action<string> report, CancellationToken cancellationToken)
    {
        if (record.ServiceAddresses.Count == 0)
        {
            return;
        }

        var addresses = ServiceAddressHost.Describe(record.ServiceAddresses);
        report($"Releasing {addresses} on {record.Source}");
        await ReleaseAddressesAsync(onSource: true, record, cancellationToken).ConfigureAwait(false);
        report($"Adding {addresses} on {record.Destination}");
        await ClaimAddressesAsync(onSource: false, record, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Adds the service addresses on one host, announced; what is there already stays. When the migration keeps
    /// established connections, they are held there until <see cref="OpenAddressesAsync"/>: the host must not reset
    /// them before the tree that owns them is restored.
    /// </summary>
    public Task ClaimAddressesAsync(bool onSource, MigrationRecord record, CancellationToken cancellationToken) =>
        record.ServiceAddresses.Count == 0
            ? Task.CompletedTask
            : (onSource ? _sourceAddresses : _destinationAddresses).ClaimAsync(record.ServiceAddresses, HoldsConnections(record), cancellationToken);

    /// <summary>Lets the held connections in on one host once the workload runs there.</summary>
    public Task OpenAddressesAsync(bool onSource, MigrationRecord record, CancellationToken cancellationToken) =>
        record.ServiceAddresses.Count == 0 || !HoldsConnections(record)
            ? Task.CompletedTask
            : (onSource ? _sourceAddresses : _destinationAddresses).OpenAsync(record.ServiceAddresses, cancellationToken);

    private bool HoldsConnections(MigrationRecord record) =>
        Strategy.Mode == CheckpointMode.Criu && record.Settings.Checkpoint.TcpEstablished;

    /// <summary>Removes the service addresses from one host; what is gone already stays gone.</summary>
    public Task ReleaseAddressesAsync(bool onSource, MigrationRecord record, CancellationToken cancellationToken) =>
        record.ServiceAddresses.Count == 0
            ? Task.CompletedTask
            : (onSource ? _sourceAddresses : _destinationAddresses).ReleaseAsync(record.ServiceAddresses, cancellationToken);

    /// <inheritdoc cref="ICheckpointStrategy.ShipStateAsync"/>
    public Task<TransferResult?> ShipStateAsync(MigrationRecord record, Action<string> report, CancellationToken cancellationToken) =>
        Strategy.ShipStateAsync(_hosts, record, report, cancellationToken);

    /// <inheritdoc cref="ICheckpointStrategy.StartOnDestinationAsync"/>
    public Task StartOnDestinationAsync(MigrationRecord record, Action<string> report, CancellationToken cancellationToken) =>
        Strategy.StartOnDestinationAsync(_hosts, record, _manifest, report, cancellationToken);

    /// <summary>Adopts a tree an interrupted switch brought up on the destination without recording it.</summary>
    public Task<bool> AdoptOnDestinationAsync(MigrationRecord record, CancellationToken cancellationToken) =>
        Strategy.AdoptAsync(_hosts.Destination, _hosts.DestinationCriu, record, cancellationToken);

    /// <inheritdoc cref="ICheckpointStrategy.WaitForLeftoversAsync"/>
    public Task WaitForLeftoversAsync(MigrationRecord record, bool destinationToo, CancellationToken cancellationToken) =>
        Strategy.WaitForLeftoversAsync(_hosts, record, destinationToo, cancellationToken);

    /// <inheritdoc cref="ICheckpointStrategy.KeepLogsAsync"/>
    public Task KeepLogsAsync(MigrationRecord record, MigrationJournal journal) => Strategy.KeepLogsAsync(_hosts, record, journal);

    /// <summary>Checks the workload's health on the destination.</summary>
    public Task CheckHealthOnDestinationAsync(MigrationRecord record, Action<string> report, CancellationToken cancellationToken) =>
        CheckHealthAsync(_hosts.DestinationConnection, _hosts.Destination.Runtime, record.Destination, report, cancellationToken);

    /// <summary>Checks the workload's health on the source.</summary>
    public Task CheckHealthOnSourceAsync(MigrationRecord record, Action<string> report, CancellationToken cancellationToken) =>
        CheckHealthAsync(_hosts.SourceConnection, _hosts.Source.Runtime, record.Source, report, cancellationToken);

    /// <summary>Commit: the source's copy may not change any more, the destination owns the workload.</summary>
    public Task FenceSourceAsync(MigrationRecord record) =>
        SetOwnerAsync(_hosts.Source.Zfs, record.Datasets.Select(d => d.Source), owns: false, CancellationToken.None);

    /// <summary>Removes the checkpoint from the destination once the workload runs there.</summary>
    public Task RemoveShippedStateAsync(MigrationRecord record) =>
        _hosts.DestinationCriu.RemoveImagesAsync(CheckpointImages.Of(record), CancellationToken.None);

    /// <summary>
    /// Ends the workload on the destination and makes it run on the source again: resumed if frozen, brought up by
    /// the strategy if it was stopped. Its service addresses leave the destination before it stops there and are back on
    /// the source before it runs there. Then checks its health. An unreachable destination is passed over only when it
    /// cannot be running the workload.
    /// </summary>
    /// <returns>Whether the destination was reached and cleared; false when it was unreachable and passed over.</returns>
    public async Task<bool> ReturnToSourceAsync(MigrationRecord record, bool destinationMayRun, CancellationToken cancellationToken)
    {
        var reached = await ReachDestinationAsync(record, destinationMayRun, cancellationToken).ConfigureAwait(false);
        // A post-copy still under way: the destination's tree lacks pages, and the frozen source gets the workload back
        // whole only once the transfer has ended.
        await Strategy.BreakMemoryTransferAsync(_hosts, record, reached, cancellationToken).ConfigureAwait(false);
        await WaitForLeftoversAsync(record, reached, cancellationToken).ConfigureAwait(false);
        if (reached)
        {
            // The addresses go first: a tree ending on a host without them cannot reset its clients' connections, which
            // the source's tree, restored with them, takes over.
            await ReleaseAddressesAsync(onSource: false, record, cancellationToken).ConfigureAwait(false);
            await ClearDestinationAsync(record, cancellationToken).ConfigureAwait(false);
        }

        await SetOwnerAsync(_hosts.Source.Zfs, record.Datasets.Select(d => d.Source), owns: true, cancellationToken).ConfigureAwait(false);
        // An unreachable destination never ran the workload, but may hold its addresses if the switch failed after adding
        // them: the source takes them anyway, and its announcement wins the neighbours over.
        await ClaimAddressesAsync(onSource: true, record, cancellationToken).ConfigureAwait(false);
        await RunOnSourceAsync(record, cancellationToken).ConfigureAwait(false);
        await OpenAddressesAsync(onSource: true, record, cancellationToken).ConfigureAwait(false);
        await CheckHealthAsync(_hosts.SourceConnection, _hosts.Source.Runtime, record.Source, _ => { }, cancellationToken).ConfigureAwait(false);

        var images = CheckpointImages.Of(record);
        await _hosts.SourceCriu.RemoveImagesAsync(images, cancellationToken).ConfigureAwait(false);
        if (reached)
        {
            await _hosts.DestinationCriu.RemoveImagesAsync(images, cancellationToken).ConfigureAwait(false);
        }

        return reached;
    }

    /// <summary>Whether the destination answers; an unreachable one that may run the workload stops the return.</summary>
    private async Task<bool> ReachDestinationAsync(MigrationRecord record, bool destinationMayRun, CancellationToken cancellationToken)
    {
        try
        {
            await _hosts.DestinationConnection.RunAsync(MigrationHosts.Reachable, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (ConnectionFailedException) when (!destinationMayRun)
        {
            return false;
        }
        catch (ConnectionFailedException e)
        {
            throw new MigrationRefusedException(
                $"{record.Destination} cannot be reached ({e.Message}), and the workload may be running there: putting it back on " +
                $"{record.Source} now could run it twice. Once {record.Destination} answers, run the phase again; if {record.Destination} " +
                "is gone for good, make sure the workload is not running there, then recover the migration.", e);
        }
    }

    /// <summary>Stops the workload on the destination (adopting a tree brought up there unrecorded), undeclares it and fences its copy.</summary>
    private async Task ClearDestinationAsync(MigrationRecord record, CancellationToken cancellationToken)
    {
        if ((await DestinationStatusAsync(cancellationToken).ConfigureAwait(false)).State == WorkloadState.Stopped)
        {
            await AdoptOnDestinationAsync(record, cancellationToken).ConfigureAwait(false);
        }

        await _hosts.Destination.Runtime.StopAsync(record.Workload, TimeSpan.FromSeconds(record.Settings.StopTimeoutSeconds), cancellationToken)
            .ConfigureAwait(false);
        await UndeclareOnDestinationAsync(cancellationToken).ConfigureAwait(false);
        await SetOwnerAsync(_hosts.Destination.Zfs, record.Datasets.Select(d => d.Target), owns: false, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Makes the workload run on the source: resumed if frozen, adopted if brought up unrecorded, else brought up by the strategy.</summary>
    private async Task RunOnSourceAsync(MigrationRecord record, CancellationToken cancellationToken)
    {
        var source = await SourceStatusAsync(cancellationToken).ConfigureAwait(false);
        if (source.State == WorkloadState.Frozen && record.CheckpointedProcess is not null)
        {
            await Strategy.RunFrozenSourceAsync(_hosts, record, source.Process!, cancellationToken).ConfigureAwait(false);
        }
        else if (source.State == WorkloadState.Frozen)
        {
            // Frozen by a checkpoint cut short: its images may be incomplete, so resuming is the only way back.
            await _hosts.SourceCriu.ResumeAsync(source.Process!, cancellationToken).ConfigureAwait(false);
        }
        else if (source.State == WorkloadState.Stopped &&
            !await Strategy.AdoptAsync(_hosts.Source, _hosts.SourceCriu, record, cancellationToken).ConfigureAwait(false))
        {
            await Strategy.StartOnSourceAsync(_hosts, record, _manifest, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Checks that the workload's process runs and waits for its health check (if it has one), both at once: the probe
    /// is what takes time, and a tree that died at once fails the switch without waiting out the probe's timeout.
    /// </summary>
    private async Task CheckHealthAsync(
        SshConnection connection, WorkloadRuntime runtime, string host, Action<string> report, CancellationToken cancellationToken)
    {
        using var probing = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Task<HealthResult>? probe = null;
        if (_manifest.HealthCheck is { } check)
        {
            report($"Waiting for {HealthProbe.Describe(check)} on {host}");
            probe = HealthProbe.WaitAsync(connection, check, probing.Token);
        }

        try
        {
            var status = await runtime.GetStatusAsync(_manifest.Name, cancellationToken).ConfigureAwait(false);
            if (status.State != WorkloadState.Running)
            {
                throw new WorkloadException($"{_manifest.Name} is {status.State} on {host} right after it was started there; see its output.log.");
            }

            if (probe is not null)
            {
                var health = await probe.ConfigureAwait(false);
                if (!health.Healthy)
                {
                    throw new WorkloadException(
                        $"{_manifest.Name} did not become healthy on {host} within {_manifest.HealthCheck!.TimeoutSeconds} s: " +
                        $"{HealthProbe.Describe(_manifest.HealthCheck)} failed. {health.Detail}");
                }
            }
        }
        finally
        {
            if (probe is not null && !probe.IsCompleted)
            {
                probing.Cancel();
                await PhaseFailures.IgnoreFailureAsync(probe).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Fencing: the owner's datasets are writable, the other side's read-only.</summary>
    private static async Task SetOwnerAsync(ZfsHost host, IEnumerable<DatasetName> datasets, bool owns, CancellationToken cancellationToken)
    {
        // The property takes effect on the mounted dataset at once (measured on zfs-fuse too), so no remount is needed,
        // which would fail while the owner's workload has files open.
        foreach (var dataset in datasets)
        {
            await host.SetReadOnlyAsync(dataset, !owns, cancellationToken).ConfigureAwait(false);
        }
    }
}
