using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using MigrationTools.Engine.Workloads;
using MigrationTools.Infrastructure;

namespace MigrationTools.Commands;

/// <summary>
/// Stops a workload: SIGTERM to its process tree's init, up to -Timeout seconds for it to end, then SIGKILL, which
/// ends every process of its PID namespace. A frozen tree is killed at once.
/// </summary>
[Cmdlet(VerbsLifecycle.Stop, "Workload", SupportsShouldProcess = true)]
[OutputType(typeof(Workload))]
public sealed class StopWorkloadCommand : WorkloadCmdlet
{
    /// <summary>
    /// Seconds the workload has to end after SIGTERM before it is killed; 0 kills it at once. The init of a PID
    /// namespace ignores SIGTERM unless it handles it, so a program without a handler is always killed.
    /// </summary>
    [Parameter]
    [ValidateRange(WorkloadStopTimeout.MinSeconds, WorkloadStopTimeout.MaxSeconds)]
    [Alias("TimeoutSeconds")]
    public int Timeout { get; set; } = WorkloadStopTimeout.DefaultSeconds;

    /// <summary>Write the workload after it stopped.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <inheritdoc/>
    private protected override async Task ProcessWorkloadAsync(WorkloadHost host, WorkloadName name, string target, CancellationToken cancellationToken)
    {
        if (!ShouldProcess(target, $"Stop workload (SIGTERM, then SIGKILL after {Timeout} s)"))
        {
            return;
        }

        var service = new WorkloadService(host);
        using (var progress = StartProgress("Stopping workloads"))
        {
            progress.Report($"Stopping {target}: SIGTERM, then SIGKILL after {Timeout} s");
            var result = await service.StopAsync(name, Timeout, cancellationToken).ConfigureAwait(true);
            WriteVerbose(result switch
            {
                WorkloadStopResult.NotRunning => $"{target} was not running.",
                WorkloadStopResult.Terminated => $"{target} ended after SIGTERM.",
                _ => $"{target} was killed with SIGKILL.",
            });
        }

        if (PassThru)
        {
            await WriteWorkloadAsync(host, await service.GetDeclaredAsync(name, cancellationToken).ConfigureAwait(true), cancellationToken).ConfigureAwait(true);
        }
    }
}
