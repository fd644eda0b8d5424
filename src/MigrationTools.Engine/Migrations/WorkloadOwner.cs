namespace MigrationTools.Engine.Migrations;

/// <summary>Which host of a migration runs the workload; the other host's datasets stay read-only.</summary>
public enum WorkloadOwner
{
    /// <summary>The host the workload is leaving.</summary>
    Source,

    /// <summary>The host the workload is moving to.</summary>
    Destination,
}
