using MigrationTools.Engine.Migrations;
using MigrationTools.Engine.Workloads;

namespace MigrationTools.Engine.Phases;

/// <summary>What the preflight found: the plan, and the workload's manifest when it could be read.</summary>
internal sealed record PreflightOutcome(MigrationPlan Plan, WorkloadManifest? Manifest);
