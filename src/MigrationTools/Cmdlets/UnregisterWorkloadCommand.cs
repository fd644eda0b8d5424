using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using MigrationTools.Engine.Workloads;
using MigrationTools.Infrastructure;

namespace MigrationTools.Commands;

/// <summary>
/// Removes a workload's manifest from its host. The workload must be stopped (the engine's rule); its datasets are
/// kept. A malformed manifest can be removed too.
/// </summary>
[Cmdlet(VerbsLifecycle.Unregister, "Workload", SupportsShouldProcess = true)]
[OutputType(typeof(void))]
public sealed class UnregisterWorkloadCommand : WorkloadCmdlet
{
    /// <inheritdoc/>
    private protected override async Task ProcessWorkloadAsync(WorkloadHost host, WorkloadName name, string target, CancellationToken cancellationToken)
    {
        if (ShouldProcess(target, $"Unregister workload (remove {host.Paths.ManifestFile(name)}; its datasets are kept)"))
        {
            // The engine refuses a workload that is not declared, or not stopped.
            await new WorkloadService(host).UnregisterAsync(name, cancellationToken).ConfigureAwait(true);
        }
    }
}
