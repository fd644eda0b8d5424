using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using MigrationTools.Engine.Workloads;
using MigrationTools.Engine.Zfs;
using MigrationTools.Infrastructure;

namespace MigrationTools.Commands;

/// <summary>
/// Starts a workload on its host as its manifest declares it: detached, as the init of its own PID namespace, with
/// its output appended to its log. A workload that already runs is left as it is.
/// </summary>
[Cmdlet(VerbsLifecycle.Start, "Workload", SupportsShouldProcess = true)]
[OutputType(typeof(Workload))]
public sealed class StartWorkloadCommand : WorkloadCmdlet
{
    /// <summary>Write the workload after it started (or was found running).</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <inheritdoc/>
    private protected override async Task ProcessWorkloadAsync(WorkloadHost host, WorkloadName name, string target, CancellationToken cancellationToken)
    {
        var manifest = await ManifestOrReportAsync(host, name, cancellationToken).ConfigureAwait(true);
        if (manifest is null)
        {
            return;
        }

        var status = await host.Runtime.GetStatusAsync(name, cancellationToken).ConfigureAwait(true);
        switch (status.State)
        {
            case WorkloadState.Running:
                WriteVerbose($"{target} already runs as process {status.Pid}.");
                break;
            case WorkloadState.Frozen:
                WriteStateError(
                    ErrorIds.WorkloadFrozen, target,
                    $"{target} is frozen: its process tree ({status.Pid}) was stopped by a checkpoint, as a migration's switch-over leaves it. " +
                    "Let the migration finish or undo it; to end the frozen tree instead, use Stop-Workload.");
                return;
            default:
                if (!ShouldProcess(target, "Start workload"))
                {
                    return;
                }

                using (var progress = StartProgress("Starting workloads"))
                {
                    progress.Report($"Starting {target}");
                    var process = await host.Runtime.StartAsync(manifest, cancellationToken).ConfigureAwait(true);
                    WriteVerbose($"{target} started as process {process.Pid}.");
                }

                break;
        }

        if (PassThru)
        {
            await WriteWorkloadAsync(host, manifest, cancellationToken).ConfigureAwait(true);
        }
    }
}
