using System;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using MigrationTools.Engine.Migrations;
using MigrationTools.Engine.Phases;
using MigrationTools.Infrastructure;

namespace MigrationTools.Commands;

/// <summary>
/// Runs one sync round of a begun migration: another snapshot, and only what changed since the last copy is sent to
/// the destination, while the workload keeps running on the source. Repeatable; each round shrinks the final delta.
/// </summary>
[Cmdlet(VerbsData.Sync, "Migration", SupportsShouldProcess = true)]
[OutputType(typeof(Migration), typeof(MigrationJob))]
public sealed class SyncMigrationCommand : MigrationPhaseCmdlet
{
    /// <inheritdoc/>
    private protected override string DescribeAction(MigrationRecord record) =>
        $"Sync: send what changed since the last copy to {record.Destination} while {record.Workload} keeps running on {record.Source}";

    /// <inheritdoc/>
    private protected override Task<MigrationRecord> RunAsync(
        MigrationEngine engine, MigrationId id, IProgress<MigrationProgress> progress, CancellationToken cancellationToken) =>
        engine.SyncAsync(id, progress, cancellationToken);
}
