using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using MigrationTools.Engine.Workloads;
using MigrationTools.Engine.Zfs;

namespace MigrationTools.Infrastructure;

/// <summary>
/// One workload as <see cref="WorkloadHost.ListAsync"/> would list it, without listing the whole host: what the
/// cmdlets that act on one workload return with -PassThru.
/// </summary>
internal static class WorkloadLookup
{
    /// <summary>The workload's manifest, state and dataset usage on <paramref name="host"/>.</summary>
    /// <param name="host">The host.</param>
    /// <param name="manifest">The workload's manifest there.</param>
    /// <param name="cancellationToken">Stops the commands.</param>
    /// <returns>The summary.</returns>
    public static async Task<WorkloadSummary> SummarizeAsync(WorkloadHost host, WorkloadManifest manifest, CancellationToken cancellationToken)
    {
        var status = host.Runtime.GetStatusAsync(manifest.Name, cancellationToken);
        var usage = Task.WhenAll(manifest.Datasets.Select(d => UsageAsync(host, d, cancellationToken)));
        // Both finish before either's failure is thrown, so no command outlives the call.
        await Task.WhenAll(status, usage).ConfigureAwait(false);
        return new WorkloadSummary(
            host.Connection.Destination.ToString(), manifest, await status.ConfigureAwait(false), await usage.ConfigureAwait(false));
    }

    private static async Task<WorkloadDatasetUsage> UsageAsync(WorkloadHost host, DatasetName dataset, CancellationToken cancellationToken) =>
        new(dataset, (await host.Zfs.GetDatasetAsync(dataset, cancellationToken).ConfigureAwait(false))?.Used);
}
