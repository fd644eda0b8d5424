using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using MigrationTools.Engine.Remote;
using MigrationTools.Engine.Zfs;

namespace MigrationTools.Engine.Workloads;

/// <summary>
/// The workloads of one host: its <see cref="Catalog"/> of manifests, its <see cref="Runtime"/> and its
/// <see cref="Zfs"/>, over one <see cref="SshConnection"/>, which it uses but does not own.
/// </summary>
public sealed class WorkloadHost
{
    /// <summary>Creates the view of one host.</summary>
    /// <param name="connection">The host's connection.</param>
    /// <param name="paths">Where the host keeps manifests and runtime files; <see langword="null"/> for the defaults.</param>
    /// <param name="zfs">The host's ZFS driver, to share its cached capabilities; <see langword="null"/> makes one.</param>
    public WorkloadHost(SshConnection connection, WorkloadPaths? paths = null, ZfsHost? zfs = null)
    {
        Connection = connection ?? throw new ArgumentNullException(nameof(connection));
        if (zfs is not null && !ReferenceEquals(zfs.Connection, connection))
        {
            throw new ArgumentException("The ZFS driver must use the same connection as the host.", nameof(zfs));
        }

        Paths = paths ?? WorkloadPaths.Default;
        Catalog = new WorkloadCatalog(connection, Paths);
        Runtime = new WorkloadRuntime(connection, Paths);
        Zfs = zfs ?? new ZfsHost(connection);
    }

    /// <summary>The connection commands run through.</summary>
    public SshConnection Connection { get; }

    /// <summary>Where the host keeps manifests and runtime files.</summary>
    public WorkloadPaths Paths { get; }

    /// <summary>The host's manifests.</summary>
    public WorkloadCatalog Catalog { get; }

    /// <summary>Starts, inspects and stops the host's workloads.</summary>
    public WorkloadRuntime Runtime { get; }

    /// <summary>The host's ZFS.</summary>
    public ZfsHost Zfs { get; }

    /// <summary>
    /// Every workload the host declares, with its state, root PID, and the bytes its datasets use there; malformed
    /// manifests are reported in <see cref="WorkloadHostListing.Errors"/> without hiding the rest. Three rounds of
    /// commands: the manifests, all states at once, then the datasets concurrently.
    /// </summary>
    /// <param name="cancellationToken">Stops the commands.</param>
    /// <returns>The listing.</returns>
    public async Task<WorkloadHostListing> ListAsync(CancellationToken cancellationToken = default)
    {
        var entries = await Catalog.ListAsync(cancellationToken).ConfigureAwait(false);
        var manifests = entries.Where(e => e.Manifest is not null).Select(e => e.Manifest!).ToArray();
        var errors = entries.Where(e => e.Error is not null).Select(e => e.Error!).ToArray();

        var statuses = await Runtime.GetStatusesAsync(manifests.Select(m => m.Name), cancellationToken).ConfigureAwait(false);
        var datasets = manifests.SelectMany(m => m.Datasets).Distinct().ToArray();
        var usage = await Task.WhenAll(datasets.Select(async d =>
            new WorkloadDatasetUsage(d, (await Zfs.GetDatasetAsync(d, cancellationToken).ConfigureAwait(false))?.Used))).ConfigureAwait(false);
        var byDataset = usage.ToDictionary(u => u.Dataset);

        var host = Connection.Destination.ToString();
        var workloads = manifests
            .Select((m, i) => new WorkloadSummary(host, m, statuses[i], m.Datasets.Select(d => byDataset[d]).ToArray()))
            .OrderBy(w => w.Name.Value, StringComparer.Ordinal)
            .ToArray();
        return new WorkloadHostListing(host, workloads, errors);
    }

    /// <summary>A short description: the host.</summary>
    /// <returns>The description.</returns>
    public override string ToString() => "workloads on " + Connection.Destination;
}
