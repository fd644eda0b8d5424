using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using MigrationTools.Completers;
using MigrationTools.Engine.Workloads;
using MigrationTools.Infrastructure;

namespace MigrationTools.Commands;

/// <summary>
/// Lists the workloads hosts declare, with their state, root process and dataset usage. Every host is asked at once;
/// a host that fails, and a malformed manifest, are reported as errors and the rest is still listed.
/// </summary>
[Cmdlet(VerbsCommon.Get, "Workload")]
[OutputType(typeof(Workload))]
public sealed class GetWorkloadCommand : RemoteCmdlet
{
    /// <summary>The hosts to list: ssh_config aliases, host names or addresses; this machine (localhost) when not given.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ComputerNameCompleter))]
    public string[] ComputerName { get; set; } = { "localhost" };

    /// <summary>The workloads to list, by name; wildcards are allowed. Every workload when not given.</summary>
    [Parameter(Position = 1, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [SupportsWildcards]
    public string[]? Name { get; set; }

    /// <inheritdoc/>
    protected override async Task ProcessRecordAsync(CancellationToken cancellationToken)
    {
        var filter = new WorkloadNameFilter(Name?.Select(NamePattern.PowerShell));
        var computers = ComputerName.Distinct(StringComparer.OrdinalIgnoreCase).ToArray();
        using var progress = StartProgress("Reading workloads");
        progress.Report($"Asking {string.Join(", ", computers)}", 0);
        var answered = 0;
        var listed = new List<string>();
        var gate = new object();

        await ConcurrentWork.ForEachAsync(
            computers,
            async (computer, token) =>
            {
                var listing = await ListAsync(computer, token).ConfigureAwait(true);

                // The hosts answer on worker threads at once: one answer at a time is counted, filtered and written.
                lock (gate)
                {
                    answered++;
                    progress.Report($"{computer} answered ({answered} of {computers.Length} hosts)", answered * 100 / computers.Length);
                    if (listing is not null)
                    {
                        listed.Add(computer);
                        Write(computer, listing, filter);
                    }
                }
            },
            cancellationToken).ConfigureAwait(true);

        // A name is reported missing only by hosts that were asked: a host that failed has its own error, and no
        // word of which workloads it declares.
        if (listed.Count > 0)
        {
            foreach (var name in filter.UnmatchedNames)
            {
                WriteWorkloadNotFound(string.Join(", ", computers.Where(listed.Contains)), name);
            }
        }
    }

    /// <summary>The host's listing, or <see langword="null"/> when the host failed and the failure was reported.</summary>
    private async Task<WorkloadHostListing?> ListAsync(string computer, CancellationToken cancellationToken)
    {
        try
        {
            return await Hosts.Workloads(computer).ListAsync(cancellationToken).ConfigureAwait(true);
        }
        catch (Exception error) when (IsReportable(error, cancellationToken))
        {
            WriteError(error, computer);
            return null;
        }
    }

    private void Write(string computer, WorkloadHostListing listing, WorkloadNameFilter filter)
    {
        var paths = Hosts.Workloads(computer).Paths;
        foreach (var summary in listing.Workloads.Where(w => filter.IsMatch(w.Name.Value)))
        {
            WriteObject(new Workload(summary, paths));
        }

        foreach (var error in listing.Errors.Where(e => e.File is null || filter.ConcernsFile(e.File)))
        {
            // The engine's message names the file, not the host; with several hosts the host matters.
            var record = new ErrorRecord(error, ErrorIds.WorkloadManifestInvalid, ErrorCategory.InvalidData, $"{listing.Host}:{error.File}")
            {
                ErrorDetails = new ErrorDetails($"On {listing.Host}: {error.Message}")
                {
                    RecommendedAction = "Fix or remove the manifest file on that host; the other workloads are listed.",
                },
            };
            WriteError(record);
        }
    }
}
