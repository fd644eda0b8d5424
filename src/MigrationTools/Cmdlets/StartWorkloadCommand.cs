using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using MigrationTools.Engine.Workloads;
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
        if (!ShouldProcess(target, "Start workload"))
        {
            return;
        }

        // The engine leaves a running workload as it is and refuses a frozen one.
        var service = new WorkloadService(host);
        using (var progress = StartProgress("Starting workloads"))
        {
            progress.Report($"Starting {target}");
            var result = await service.StartAsync(name, cancellationToken).ConfigureAwait(true);
            WriteVerbose(result.Started ? $"{target} started as process {result.Process.Pid}." : $"{target} already runs as process {result.Process.Pid}.");
        }

        if (PassThru)
        {
            await WriteWorkloadAsync(host, await service.GetDeclaredAsync(name, cancellationToken).ConfigureAwait(true), cancellationToken).ConfigureAwait(true);
        }
    }
}
