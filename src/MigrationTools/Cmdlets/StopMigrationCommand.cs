using System;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using MigrationTools.Engine.Migrations;
using MigrationTools.Engine.Phases;
using MigrationTools.Infrastructure;

namespace MigrationTools.Commands;

/// <summary>
/// Aborts a migration before its switch: the destination's copy and the migration's snapshots, holds, claim and
/// marks are removed. The workload keeps running on the source, untouched.
/// </summary>
[Cmdlet(VerbsLifecycle.Stop, "Migration", SupportsShouldProcess = true)]
[OutputType(typeof(Migration), typeof(MigrationJob))]
public sealed class StopMigrationCommand : MigrationPhaseCmdlet
{
    /// <inheritdoc/>
    private protected override string DescribeAction(MigrationRecord record) =>
        $"Abort: destroy the copy on {record.Destination} and release {record.Workload}, which keeps running on {record.Source}";

    /// <inheritdoc/>
    private protected override Task<MigrationRecord> RunAsync(
        MigrationEngine engine, MigrationId id, IProgress<MigrationProgress> progress, CancellationToken cancellationToken) =>
        engine.AbortAsync(id, progress, cancellationToken);
}
