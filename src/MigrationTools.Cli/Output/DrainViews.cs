namespace MigrationTools.Cli.Output;

/// <summary>One workload of a drain, as <c>drain --json</c> writes it (a line of its own, as each ends).</summary>
/// <param name="Type">Always "workload".</param>
/// <param name="Workload">The workload.</param>
/// <param name="Source">The host drained.</param>
/// <param name="Destination">The destination chosen, or null when none was.</param>
/// <param name="Status">moved, failed, skipped or notStarted.</param>
/// <param name="Reason">Why this destination, why skipped, or why it failed.</param>
/// <param name="Kind">For a failure: refused, rolledBack, needsAttention, cancelled or error; else null.</param>
/// <param name="ExitCode">For a failure: the exit code the failure alone would give; else null.</param>
/// <param name="Migration">The migration's record, when one exists.</param>
internal sealed record DrainWorkloadView(
    string Type, string Workload, string Source, string? Destination, string Status, string? Reason, string? Kind, int? ExitCode, MigrationView? Migration);

/// <summary>The last line of <c>drain --json</c>.</summary>
/// <param name="Type">Always "summary".</param>
/// <param name="Source">The host drained.</param>
/// <param name="Destinations">The destinations given.</param>
/// <param name="Parallel">Migrations run at once at most.</param>
/// <param name="MaxPerHost">Migrations acting on one host at once at most.</param>
/// <param name="Moved">Workloads moved.</param>
/// <param name="Failed">Workloads whose move failed or was refused.</param>
/// <param name="Skipped">Workloads skipped (policy manual, without --force).</param>
/// <param name="NotStarted">Workloads not started because the drain was interrupted.</param>
/// <param name="BytesSent">Bytes the moves sent.</param>
/// <param name="ElapsedSeconds">The drain's wall time.</param>
/// <param name="ExitCode">The command's exit code.</param>
internal sealed record DrainSummaryView(
    string Type, string Source, IReadOnlyList<string> Destinations, int Parallel, int MaxPerHost,
    int Moved, int Failed, int Skipped, int NotStarted, long BytesSent, double ElapsedSeconds, int ExitCode);

/// <summary>A drain's totals in <c>--progress json</c>.</summary>
/// <param name="Type">Always "drain".</param>
/// <param name="Time">When, ISO 8601.</param>
/// <param name="Waiting">Moves not started.</param>
/// <param name="Running">Moves running.</param>
/// <param name="Succeeded">Moves ended well.</param>
/// <param name="Failed">Moves failed.</param>
/// <param name="BytesDone">Bytes moved so far.</param>
/// <param name="BytesTotal">Bytes estimated in all.</param>
/// <param name="Percent">Done, of the estimate.</param>
/// <param name="EtaSeconds">Time left, when known.</param>
internal sealed record DrainStatusEventView(
    string Type, string Time, int Waiting, int Running, int Succeeded, int Failed, long BytesDone, long BytesTotal, int? Percent, double? EtaSeconds);

/// <summary>One choice of <c>drain --what-if</c>.</summary>
/// <param name="Workload">The workload.</param>
/// <param name="Destination">The destination it would move to, or null.</param>
/// <param name="Action">move, skip or refused.</param>
/// <param name="Reason">Why.</param>
/// <param name="EstimatedBytes">Its estimated transfer.</param>
internal sealed record DrainPlanView(string Workload, string? Destination, string Action, string Reason, long EstimatedBytes);
