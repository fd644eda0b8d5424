namespace MigrationTools.Engine.Migrations;

/// <summary>The names of a migration's own preflight checks (the replication and CRIU checks add theirs).</summary>
public static class MigrationChecks
{
    /// <summary>The source and destination are different hosts.</summary>
    public const string DistinctHosts = "DistinctHosts";

    /// <summary>The workload is declared on the source by a readable manifest.</summary>
    public const string WorkloadDeclared = "WorkloadDeclared";

    /// <summary>The workload's migration policy allows the move (or it is forced).</summary>
    public const string MigrationPolicy = "MigrationPolicy";

    /// <summary>The workload runs on the source (or may be stopped, in restart mode).</summary>
    public const string SourceRunning = "SourceRunning";

    /// <summary>The destination neither runs nor declares a different workload of that name.</summary>
    public const string DestinationFree = "DestinationFree";

    /// <summary>No other migration holds the workload: journal, claim file and dataset property.</summary>
    public const string NotInMigration = "NotInMigration";

    /// <summary>A service address's interface exists and is up on the destination.</summary>
    public const string ServiceAddressInterface = "ServiceAddressInterface";

    /// <summary>A service address is neither held by the destination nor answered on its network by anyone but the source.</summary>
    public const string ServiceAddressFree = "ServiceAddressFree";

    /// <summary>How a live switch would move memory between the two hosts, and whether the method asked for is possible there.</summary>
    public const string MemoryTransfer = "MemoryTransfer";
}
