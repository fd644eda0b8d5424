using System;
using System.Collections.Generic;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using MigrationTools.Completers;
using MigrationTools.Engine.Draining;
using MigrationTools.Engine.Migrations;
using MigrationTools.Engine.Phases;

namespace MigrationTools.Infrastructure;

/// <summary>
/// The base of the cmdlets that run one phase of recorded migrations: -Id, bound from the pipeline by property name
/// (so <c>Get-Migration -State Synced | Switch-Migration</c> works), the journal lookup, the confirmation, and one
/// engine call per migration (through the command's <see cref="MigrationRunner"/>); with -AsJob, one job for all of them.
/// </summary>
public abstract class MigrationPhaseCmdlet : MigrationCmdlet
{
    /// <summary>The migrations, by id, such as <c>m-0123456789ab</c>.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(MigrationIdCompleter))]
    public string[] Id { get; set; } = Array.Empty<string>();

    /// <summary>
    /// Run in the background: the migrations are looked up and confirmed now, then one job runs the phase for them one
    /// after another, and the command writes the job.
    /// </summary>
    [Parameter]
    public SwitchParameter AsJob { get; set; }

    /// <summary>
    /// Run the phase for at most this many migrations at once, 1-64: the migrations are confirmed as they arrive and
    /// run concurrently while the pipeline goes on, each written as it ends. Without it they run one after another.
    /// </summary>
    [Parameter]
    [ValidateRange(1, DrainQueue.MaxThrottleLimit)]
    public int ThrottleLimit { get; set; } = 1;

    /// <summary>Reads the connection parameters; with -ThrottleLimit, the phases run through a drain.</summary>
    /// <param name="cancellationToken">Cancelled by Ctrl+C.</param>
    /// <returns>The step's task.</returns>
    protected override async Task BeginProcessingAsync(CancellationToken cancellationToken)
    {
        await base.BeginProcessingAsync(cancellationToken).ConfigureAwait(true);
        if (MyInvocation.BoundParameters.ContainsKey(nameof(ThrottleLimit)))
        {
            // The migrations run in the order they arrive: a phase's transfer is not known before it runs.
            Migrations.UseDrain(new DrainSettings(ThrottleLimit, DrainOrder.AsGiven, ErrorsStopTheCommand(), DescribeDrain, StoppingToken));
        }
    }

    /// <summary>Runs the phase for every id given, one after another, or adds each to the drain.</summary>
    /// <param name="cancellationToken">Cancelled by Ctrl+C.</param>
    /// <returns>The step's task.</returns>
    protected sealed override async Task ProcessRecordAsync(CancellationToken cancellationToken)
    {
        DeliverDrain();
        string directory;
        try
        {
            directory = Migrations.JournalDirectory(JournalPath);
        }
        catch (Exception error) when (IsReportable(error, cancellationToken))
        {
            WriteError(error, JournalPath);
            return;
        }

        foreach (var text in Id)
        {
            await ProcessOneAsync(text, directory, cancellationToken).ConfigureAwait(true);
        }
    }

    /// <summary>What the phase will do to the migration, for -WhatIf and -Confirm.</summary>
    /// <param name="record">The migration as the journal holds it.</param>
    /// <returns>Such as <c>Switch: freeze web on h1, send the final changes and restore it on h2</c>.</returns>
    private protected abstract string DescribeAction(MigrationRecord record);

    /// <summary>Runs the phase.</summary>
    /// <param name="engine">The engine over the migration's journal.</param>
    /// <param name="id">The migration.</param>
    /// <param name="progress">Receives the engine's progress.</param>
    /// <param name="cancellationToken">Cancelled by Ctrl+C.</param>
    /// <returns>The record after the phase.</returns>
    private protected abstract Task<MigrationRecord> RunAsync(
        MigrationEngine engine, MigrationId id, IProgress<MigrationProgress> progress, CancellationToken cancellationToken);

    /// <summary>The drain's parent bar: <c>Sync-Migration: 3 migration(s) from h1</c>.</summary>
    private string DescribeDrain(int count, IReadOnlyList<string> sources) =>
        string.Format(System.Globalization.CultureInfo.InvariantCulture, "{0}: {1} migration(s) from {2}", CommandName, count, string.Join(", ", sources));

    /// <summary>How confirmations and progress name a migration: <c>migration m-0123456789ab (web from h1 to h2, Synced)</c>.</summary>
    private static string Describe(MigrationRecord record) =>
        $"migration {record.Id} ({record.Workload} from {record.Source} to {record.Destination}, {record.State})";

    private async Task ProcessOneAsync(string text, string directory, CancellationToken cancellationToken)
    {
        object target = text;
        try
        {
            var id = InputValidation.MigrationId(text);
            var record = MigrationJournalLocation.OpenExisting(directory)?.TryLoad(id);
            if (record is null)
            {
                WriteError(new ErrorRecord(
                    new ItemNotFoundException(
                        $"There is no migration {id} in the journal {directory}. Get-Migration lists the migrations there; " +
                        "give -JournalPath when the migration is kept in another journal."),
                    ErrorIds.MigrationNotFound,
                    ErrorCategory.ObjectNotFound,
                    text));
                return;
            }

            target = new Migration(record, directory);
            if (!ShouldProcess(Describe(record), DescribeAction(record)))
            {
                return;
            }

            if (AsJob)
            {
                var invocation = JobInvocationFor(new Dictionary<string, object?>
                {
                    [nameof(Id)] = new[] { text },
                    [nameof(JournalPath)] = directory,
                });
                Migrations.QueueForJob(invocation, record.Workload.Value, record.Source, record.Destination);
                return;
            }

            var subject = $"{record.Workload} from {record.Source} to {record.Destination}";
            var engine = Migrations.Engine(directory);
            if (Migrations.Drains)
            {
                Migrations.Enqueue(new DrainWork(subject, 0, (progress, token) => RunAsync(engine, id, progress, token)), record.Source, target, directory);
                return;
            }

            using var progress = Migrations.StartProgress(subject);
            await Migrations.RunPhaseAsync(() => RunAsync(engine, id, progress, cancellationToken), target, directory, cancellationToken)
                .ConfigureAwait(true);
        }
        catch (Exception error) when (IsReportable(error, cancellationToken))
        {
            Migrations.ReportFailure(error, text, target, directory);
        }
    }
}
