using System;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using MigrationTools.Engine.Migrations;
using MigrationTools.Engine.Phases;
using MigrationTools.Engine.Workloads;
using MigrationTools.Infrastructure;

namespace MigrationTools.Commands;

/// <summary>
/// Cuts a migration over: the workload is frozen (or stopped) on the source, the final changes and its checkpoint are
/// sent, and it is restored (or started) on the destination and checked for health. A switch that fails, or that is
/// cancelled, is rolled back by itself: the workload runs on the source again and the migration is Synced.
/// </summary>
[Cmdlet(VerbsCommon.Switch, "Migration", SupportsShouldProcess = true)]
[OutputType(typeof(Migration), typeof(MigrationJob))]
public sealed class SwitchMigrationCommand : MigrationPhaseCmdlet
{
    /// <inheritdoc/>
    private protected override string DescribeAction(MigrationRecord record) =>
        record.CheckpointMode == CheckpointMode.Criu
            ? $"Switch: freeze {record.Workload} on {record.Source}, send the final changes and its checkpoint, restore it on {record.Destination} " +
              $"(rolled back to {record.Source} if it fails)"
            : $"Switch: stop {record.Workload} on {record.Source}, send the final changes and start it on {record.Destination} " +
              $"(rolled back to {record.Source} if it fails)";

    /// <inheritdoc/>
    private protected override Task<MigrationRecord> RunAsync(
        MigrationEngine engine, MigrationId id, IProgress<MigrationProgress> progress, CancellationToken cancellationToken) =>
        engine.SwitchAsync(id, progress, cancellationToken);
}
