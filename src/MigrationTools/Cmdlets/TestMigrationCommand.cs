using System.Collections.Generic;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using MigrationTools.Completers;
using MigrationTools.Engine.Migrations;
using MigrationTools.Infrastructure;

namespace MigrationTools.Commands;

/// <summary>
/// Checks, without changing anything on any host, whether a workload can move to a destination, and estimates how
/// much data the first copy would send. The plan it writes lists every check with its verdict; ConvertTo-Json of it is
/// the migration's manifest.
/// </summary>
[Cmdlet(VerbsDiagnostic.Test, "Migration")]
[OutputType(typeof(MigrationPlan))]
public sealed class TestMigrationCommand : MigrationRequestCmdlet
{
    /// <summary>The host the workload moves to: an ssh_config alias, host name or address.</summary>
    [Parameter(Mandatory = true, Position = 2, ValueFromPipelineByPropertyName = true, ParameterSetName = WorkloadSet)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ComputerNameCompleter))]
    public string Destination { get; set; } = "";

    /// <inheritdoc/>
    private protected override IReadOnlyList<string> Destinations => ParameterSetName == WorkloadSet ? [Destination] : [];

    /// <inheritdoc/>
    private protected override async Task ProcessRequestAsync(
        MigrationRequest request, string target, string journalDirectory, CancellationToken cancellationToken)
    {
        Engine.Migrations.MigrationPlan plan;
        using (var progress = StartProgress("Testing migrations"))
        {
            progress.Report($"Checking {Subject(request)}");
            plan = await Migrations.Engine(journalDirectory).TestAsync(request, cancellationToken).ConfigureAwait(true);
        }

        if (!plan.Passed)
        {
            WriteVerbose($"The migration of {Subject(request)} would be refused:{System.Environment.NewLine}{plan.DescribeFailures()}");
        }

        WriteObject(new MigrationPlan(plan, request));
    }
}
