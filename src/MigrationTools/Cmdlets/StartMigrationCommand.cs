using System.Collections.Generic;
using System.Globalization;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using MigrationTools.Completers;
using MigrationTools.Engine.Draining;
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
    /// <summary>The host the workload moves to: an ssh_config alias, host name or address.</summary>
    [Parameter(Mandatory = true, Position = 2, ValueFromPipelineByPropertyName = true, ParameterSetName = WorkloadSet)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ComputerNameCompleter))]
    public string Destination { get; set; } = "";

    /// <summary>
    /// Run in the background: the inputs are checked and confirmed now, then one job runs them one after another, and
    /// the command writes the job.
    /// </summary>
    [Parameter]
    public SwitchParameter AsJob { get; set; }

    /// <summary>
    /// Begin at most this many migrations at once, 1-64: the inputs are confirmed as they arrive and begun concurrently
    /// while the pipeline goes on, each written as it ends. Without it they run one after another.
    /// </summary>
    [Parameter]
    [ValidateRange(1, DrainQueue.MaxThrottleLimit)]
    public int ThrottleLimit { get; set; } = 1;

    /// <inheritdoc/>
    private protected override IReadOnlyList<string> Destinations => ParameterSetName == WorkloadSet ? [Destination] : [];

    /// <inheritdoc/>
    private protected override int? GivenThrottleLimit => MyInvocation.BoundParameters.ContainsKey(nameof(ThrottleLimit)) ? ThrottleLimit : null;

    /// <inheritdoc/>
    private protected override string DescribeDrain(int count, IReadOnlyList<string> sources) =>
        string.Format(CultureInfo.InvariantCulture, "Starting {0} migration(s) from {1}", count, string.Join(", ", sources));

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

        var engine = Migrations.Engine(journalDirectory);
        if (Drains)
        {
            var estimate = await DrainEstimate.OfAsync(engine, request, cancellationToken).ConfigureAwait(true);
            Enqueue(request, target, journalDirectory, estimate, (progress, token) => engine.BeginAsync(request, progress, token));
            return;
        }

        using var progress = Migrations.StartProgress(Subject(request));
        await Migrations.RunPhaseAsync(
            () => engine.BeginAsync(request, progress, cancellationToken), ErrorTarget(target), journalDirectory, cancellationToken)
            .ConfigureAwait(true);
    }
}
