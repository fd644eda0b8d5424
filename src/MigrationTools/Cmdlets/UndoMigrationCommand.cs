using System;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using MigrationTools.Engine.Migrations;
using MigrationTools.Engine.Phases;
using MigrationTools.Infrastructure;

namespace MigrationTools.Commands;

/// <summary>
/// Reverses a switch before it is completed: the workload is stopped on the destination and runs on the source again
/// (resumed, restored from its checkpoint, or started), then the destination's copy and the migration's snapshots are
/// removed. What the workload changed on the destination since the switch is discarded, unless -KeepChanges moves it
/// back as it runs now: checkpointed (or stopped) on the destination, its datasets' changes sent back, restored (or
/// started) on the source.
/// </summary>
[Cmdlet(VerbsCommon.Undo, "Migration", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(Migration), typeof(MigrationJob))]
public sealed class UndoMigrationCommand : MigrationPhaseCmdlet
{
    /// <summary>Move the workload back as it runs now, keeping what it changed on the destination since the switch.</summary>
    [Parameter]
    public SwitchParameter KeepChanges { get; set; }

    /// <inheritdoc/>
    private protected override string DescribeAction(MigrationRecord record) =>
        KeepChanges
            ? $"Undo keeping changes: move {record.Workload} from {record.Destination} back to {record.Source} as it runs now; what it changed on " +
              $"{record.Destination} since the switch is KEPT (sent back), then the copy there is destroyed"
            : $"Undo: stop {record.Workload} on {record.Destination} and run it on {record.Source} again; what it changed on {record.Destination} " +
              $"since the switch is DISCARDED and the copy there is destroyed";

    /// <inheritdoc/>
    private protected override Task<MigrationRecord> RunAsync(
        MigrationEngine engine, MigrationId id, IProgress<MigrationProgress> progress, CancellationToken cancellationToken) =>
        engine.UndoAsync(id, KeepChanges, progress, cancellationToken);
}
