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
/// removed. What the workload changed on the destination since the switch is discarded.
/// </summary>
[Cmdlet(VerbsCommon.Undo, "Migration", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(Migration), typeof(MigrationJob))]
public sealed class UndoMigrationCommand : MigrationPhaseCmdlet
{
    /// <inheritdoc/>
    private protected override string DescribeAction(MigrationRecord record) =>
        $"Undo: stop {record.Workload} on {record.Destination} and run it on {record.Source} again; what it changed on {record.Destination} " +
        $"since the switch is DISCARDED and the copy there is destroyed";

    /// <inheritdoc/>
    private protected override Task<MigrationRecord> RunAsync(
        MigrationEngine engine, MigrationId id, IProgress<MigrationProgress> progress, CancellationToken cancellationToken) =>
        engine.UndoAsync(id, progress, cancellationToken);
}
