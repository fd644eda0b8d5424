using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using MigrationTools.Engine.Migrations;
using MigrationTools.Infrastructure;

namespace MigrationTools.Commands;

/// <summary>
/// Begins a migration: the preflight checks, a record in the journal, the workload claimed on its source, and the
/// first full copy of its datasets to the destination while the workload keeps running. Run again after an
/// interruption, it continues the same migration.
/// </summary>
[Cmdlet(VerbsLifecycle.Start, "Migration", SupportsShouldProcess = true)]
[OutputType(typeof(Migration), typeof(MigrationJob))]
public sealed class StartMigrationCommand : MigrationRequestCmdlet
{
    /// <summary>
    /// Run in the background: the inputs are checked and confirmed now, then one job runs them one after another, and
    /// the command writes the job.
    /// </summary>
    [Parameter]
    public SwitchParameter AsJob { get; set; }

    /// <inheritdoc/>
    private protected override async Task ProcessRequestAsync(
        MigrationRequest request, string target, string journalDirectory, CancellationToken cancellationToken)
    {
        var action = $"Start a migration to {request.DestinationHost}: record it in {journalDirectory}, claim the workload on " +
            $"{request.SourceHost} and copy its datasets whole to {request.DestinationHost} while it keeps running " +
            $"({DescribeTransfer(request.Settings)})";
        if (!ShouldProcess(target, action) || QueuedForJob(AsJob, request, journalDirectory))
        {
            return;
        }

        using var progress = Migrations.StartProgress(Subject(request));
        await Migrations.RunPhaseAsync(
            () => Migrations.Engine(journalDirectory).BeginAsync(request, progress, cancellationToken), ErrorTarget(target), journalDirectory, cancellationToken)
            .ConfigureAwait(true);
    }
}
