using System;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using MigrationTools.Engine.Migrations;
using MigrationTools.Engine.Phases;
using MigrationTools.Infrastructure;

namespace MigrationTools.Commands;

/// <summary>
/// Finalizes a switched migration: the destination keeps the workload for good. The frozen tree on the source is
/// ended, the migration's snapshots, holds, checkpoint and claim are removed, the workload is unregistered on the
/// source, and the source's datasets are destroyed unless -KeepSourceDataset keeps them (read-only).
/// </summary>
[Cmdlet(VerbsLifecycle.Complete, "Migration", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(Migration), typeof(MigrationJob))]
public sealed class CompleteMigrationCommand : MigrationPhaseCmdlet
{
    /// <summary>Keep the source's datasets, read-only, instead of destroying them.</summary>
    [Parameter]
    public SwitchParameter KeepSourceDataset { get; set; }

    /// <inheritdoc/>
    private protected override string DescribeAction(MigrationRecord record)
    {
        var datasets = string.Join(", ", record.Datasets.Select(d => d.Source.Value));
        var kept = KeepSourceDataset
            ? $"keep its datasets there read-only ({datasets})"
            : $"DESTROY its datasets there ({datasets})";
        return $"Complete: end the frozen tree on {record.Source}, remove the migration's snapshots, unregister {record.Workload} on {record.Source} and {kept}";
    }

    /// <inheritdoc/>
    private protected override Task<MigrationRecord> RunAsync(
        MigrationEngine engine, MigrationId id, IProgress<MigrationProgress> progress, CancellationToken cancellationToken) =>
        engine.CompleteAsync(id, KeepSourceDataset, progress, cancellationToken);
}
