namespace MigrationTools.Cli;

/// <summary>
/// The process exit codes of <c>migrationtools</c>. Scripts branch on them, so they never change meaning; the table
/// in <see cref="Documented"/> is printed by <c>--help</c> and copied in docs/cli.md.
/// </summary>
internal static class ExitCodes
{
    /// <summary>The command did what it was asked.</summary>
    public const int Success = 0;

    /// <summary>Any other failure: a host unreachable, a command failing on a host, a journal unreadable.</summary>
    public const int Error = 1;

    /// <summary>The command line is wrong (unknown command or option, a malformed value); nothing was run.</summary>
    public const int Usage = 2;

    /// <summary>The command was refused before it changed anything: a preflight check failed, a state forbids it, or it was not found.</summary>
    public const int Refused = 3;

    /// <summary>A migration phase failed and the workload runs on its source as before (a failed switch was rolled back).</summary>
    public const int RolledBack = 4;

    /// <summary>A migration phase failed and left something a person must look at; the migration's record says what.</summary>
    public const int NeedsAttention = 5;

    /// <summary>Interrupted by Ctrl+C (SIGINT) or SIGTERM outside a migration phase, before anything changed.</summary>
    public const int Cancelled = 130;

    /// <summary>Every code with its meaning, in order, for help and documentation.</summary>
    public static IReadOnlyList<(int Code, string Meaning)> Documented { get; } =
    [
        (Success, "success"),
        (Error, "other error (a host unreachable, a remote command failed, a journal unreadable)"),
        (Usage, "usage error: unknown command or option, or a malformed value; nothing was run"),
        (Refused, "refused before anything changed: a preflight check failed, the state forbids it, or not found"),
        (RolledBack, "migration failed and rolled back: the workload runs on its source as before"),
        (NeedsAttention, "migration failed and needs attention: see the migration's record (migration show)"),
        (Cancelled, "interrupted (Ctrl+C) outside a migration phase; nothing was changed"),
    ];
}
