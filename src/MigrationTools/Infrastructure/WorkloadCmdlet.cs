using System;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using MigrationTools.Completers;
using MigrationTools.Engine.Workloads;

namespace MigrationTools.Infrastructure;

/// <summary>
/// The base of cmdlets that act on one workload at a time: -ComputerName and -Name, bound from the pipeline by
/// property name (so <c>Get-Workload | Stop-Workload</c> works), and the per-input error handling they share.
/// </summary>
public abstract class WorkloadCmdlet : RemoteCmdlet
{
    /// <summary>The host the workload is declared on: an ssh_config alias, host name or address.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ComputerNameCompleter))]
    public string ComputerName { get; set; } = "";

    /// <summary>The workload's name.</summary>
    [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = "";

    /// <summary>Validates the input and runs <see cref="ProcessWorkloadAsync"/>; a failure is reported for this workload and the next input goes on.</summary>
    /// <param name="cancellationToken">Cancelled by Ctrl+C.</param>
    /// <returns>The step's task.</returns>
    protected sealed override async Task ProcessRecordAsync(CancellationToken cancellationToken)
    {
        var target = WorkloadTarget(ComputerName, Name);
        try
        {
            var name = InputValidation.WorkloadName(Name);
            var host = Hosts.Workloads(ComputerName);
            await ProcessWorkloadAsync(host, name, target, cancellationToken).ConfigureAwait(true);
        }
        catch (Exception error) when (IsReportable(error, cancellationToken))
        {
            WriteError(error, target);
        }
    }

    /// <summary>Acts on one workload.</summary>
    /// <param name="host">The workload's host, over the command's shared connection.</param>
    /// <param name="name">The workload's validated name.</param>
    /// <param name="target">The workload as confirmations and errors name it (<c>web on h1</c>).</param>
    /// <param name="cancellationToken">Cancelled by Ctrl+C.</param>
    /// <returns>The work's task.</returns>
    private protected abstract Task ProcessWorkloadAsync(WorkloadHost host, WorkloadName name, string target, CancellationToken cancellationToken);

    /// <summary>Writes the workload as it now is on <paramref name="host"/>, for -PassThru.</summary>
    /// <param name="host">The host.</param>
    /// <param name="manifest">The workload's manifest.</param>
    /// <param name="cancellationToken">Stops the commands.</param>
    /// <returns>A task that completes when the object is written.</returns>
    private protected async Task WriteWorkloadAsync(WorkloadHost host, WorkloadManifest manifest, CancellationToken cancellationToken)
    {
        var summary = await WorkloadLookup.SummarizeAsync(host, manifest, cancellationToken).ConfigureAwait(true);
        WriteObject(new Workload(summary, host.Paths));
    }
}
