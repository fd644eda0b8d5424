using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using MigrationTools.Engine.Migrations;
using MigrationTools.Engine.Transfer;
using MigrationTools.Infrastructure;

namespace MigrationTools.Commands;

/// <summary>
/// Moves a workload to another host in one call: begin, sync rounds until the changes left are small or stop
/// shrinking, then switch; with -Complete, complete too. Run again after an interruption, it continues the workload's
/// migration from where it stands.
/// </summary>
[Cmdlet(VerbsCommon.Move, "Workload", SupportsShouldProcess = true)]
[OutputType(typeof(Migration), typeof(MigrationJob))]
public sealed class MoveWorkloadCommand : MigrationRequestCmdlet
{
    /// <summary>
    /// Run in the background: the inputs are checked and confirmed now, then one job runs them one after another, and
    /// the command writes the job.
    /// </summary>
    [Parameter]
    public SwitchParameter AsJob { get; set; }

    /// <summary>Complete the migration after a successful switch, releasing (by default destroying) the source's copy.</summary>
    [Parameter]
    public SwitchParameter Complete { get; set; }

    /// <summary>With -Complete: keep the source's datasets, read-only, instead of destroying them.</summary>
    [Parameter]
    public SwitchParameter KeepSourceDataset { get; set; }

    /// <summary>Switch after at most this many sync rounds, 1-100.</summary>
    [Parameter]
    [ValidateRange(1, MoveOptions.MaxSyncRoundsLimit)]
    public int MaxSyncRounds { get; set; } = new MoveOptions().MaxSyncRounds;

    /// <summary>Switch once a sync round sends at most this many bytes: the final changes will be about as small.</summary>
    [Parameter]
    [ValidateRange(0L, long.MaxValue)]
    public long ConvergedBytes { get; set; } = new MoveOptions().ConvergedBytes;

    /// <inheritdoc/>
    protected override async Task BeginProcessingAsync(CancellationToken cancellationToken)
    {
        await base.BeginProcessingAsync(cancellationToken).ConfigureAwait(true);
        if (KeepSourceDataset && !Complete)
        {
            WriteWarning("-KeepSourceDataset applies only with -Complete; without it the move stops after the switch and the source's datasets stay until Complete-Migration or Undo-Migration.");
        }
    }

    /// <inheritdoc/>
    private protected override async Task ProcessRequestAsync(
        MigrationRequest request, string target, string journalDirectory, CancellationToken cancellationToken)
    {
        var complete = !Complete
            ? ""
            : KeepSourceDataset
                ? $", then complete it (the datasets on {request.SourceHost} are kept, read-only)"
                : $", then complete it (the datasets on {request.SourceHost} are destroyed)";
        var action = $"Move to {request.DestinationHost}: copy its datasets while it runs, up to {MaxSyncRounds} sync round(s) until one " +
            $"sends at most {ByteSize.Format(ConvergedBytes)}, then switch it over ({DescribeTransfer(request.Settings)}){complete}";
        if (!ShouldProcess(target, action) || QueuedForJob(AsJob, request, journalDirectory))
        {
            return;
        }

        var options = new MoveOptions
        {
            MaxSyncRounds = MaxSyncRounds,
            ConvergedBytes = ConvergedBytes,
            Complete = Complete,
            KeepSourceDatasets = KeepSourceDataset,
        };
        using var progress = Migrations.StartProgress(Subject(request));
        await Migrations.RunPhaseAsync(
            () => Migrations.Engine(journalDirectory).MoveAsync(request, options, progress, cancellationToken), ErrorTarget(target), journalDirectory, cancellationToken)
            .ConfigureAwait(true);
    }
}
