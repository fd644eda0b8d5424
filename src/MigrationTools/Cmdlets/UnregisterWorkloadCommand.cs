using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using MigrationTools.Engine.Workloads;
using MigrationTools.Engine.Zfs;
using MigrationTools.Infrastructure;

namespace MigrationTools.Commands;

/// <summary>
/// Removes a workload's manifest from its host. The workload must be stopped; its datasets are kept. A malformed
/// manifest can be removed too.
/// </summary>
[Cmdlet(VerbsLifecycle.Unregister, "Workload", SupportsShouldProcess = true)]
[OutputType(typeof(void))]
public sealed class UnregisterWorkloadCommand : WorkloadCmdlet
{
    /// <inheritdoc/>
    private protected override async Task ProcessWorkloadAsync(WorkloadHost host, WorkloadName name, string target, CancellationToken cancellationToken)
    {
        if (!await IsDeclaredAsync(host, name, target, cancellationToken).ConfigureAwait(true))
        {
            WriteWorkloadNotFound(ComputerName, Name);
            return;
        }

        // Without its manifest a running workload could no longer be stopped or moved by name.
        var status = await host.Runtime.GetStatusAsync(name, cancellationToken).ConfigureAwait(true);
        if (status.State != WorkloadState.Stopped)
        {
            WriteStateError(
                ErrorIds.WorkloadRunning, target,
                $"{target} is {status.State.ToString().ToLowerInvariant()} (process {status.Pid}); stop it with Stop-Workload, then unregister it.");
            return;
        }

        if (!ShouldProcess(target, $"Unregister workload (remove {host.Paths.ManifestFile(name)}; its datasets are kept)"))
        {
            return;
        }

        if (!await host.Catalog.UnregisterAsync(name, cancellationToken).ConfigureAwait(true))
        {
            // Removed by someone else since it was read.
            WriteWorkloadNotFound(ComputerName, Name);
        }
    }

    /// <summary>True when the host has a manifest for the workload, valid or not.</summary>
    private async Task<bool> IsDeclaredAsync(WorkloadHost host, WorkloadName name, string target, CancellationToken cancellationToken)
    {
        try
        {
            return await host.Catalog.GetAsync(name, cancellationToken).ConfigureAwait(true) is not null;
        }
        catch (WorkloadManifestException error)
        {
            WriteVerbose($"The manifest of {target} is malformed and is removed all the same: {error.Message}");
            return true;
        }
    }
}
