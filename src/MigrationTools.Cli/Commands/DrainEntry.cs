using MigrationTools.Engine.Migrations;
using MigrationTools.Engine.Workloads;

namespace MigrationTools.Cli.Commands;

/// <summary>What a drain does with one workload of its source, decided before anything moves.</summary>
/// <param name="Workload">The workload.</param>
/// <param name="EstimatedBytes">Its datasets' used bytes.</param>
/// <param name="Request">The move, to its chosen destination; null when skipped or refused.</param>
/// <param name="Reason">Why this destination, or why skipped or refused.</param>
/// <param name="Skipped">True when skipped (policy manual, without --force).</param>
internal sealed record DrainEntry(WorkloadName Workload, long EstimatedBytes, MigrationRequest? Request, string Reason, bool Skipped)
{
    /// <summary>move, skip or refused.</summary>
    public string Action => Skipped ? "skip" : Request is null ? "refused" : "move";
}
