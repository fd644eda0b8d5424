using MigrationTools.Engine.Migrations;
using MigrationTools.Engine.Workloads;

namespace MigrationTools.Cli;

/// <summary>
/// How a command ended when it threw: the exit code, a one-word kind for scripts, the message, and the migration
/// record or preflight plan that explains it, when there is one.
/// </summary>
/// <param name="ExitCode">One of <see cref="ExitCodes"/>.</param>
/// <param name="Kind">usage, refused, rolledBack, needsAttention, cancelled or error.</param>
/// <param name="Message">The exception's message: what happened and what to do.</param>
/// <param name="Record">The migration as the journal holds it after the failure, if a phase failed.</param>
/// <param name="Plan">The preflight whose failed checks refused the migration, if one did.</param>
internal sealed record CommandFailure(int ExitCode, string Kind, string Message, MigrationRecord? Record = null, MigrationPlan? Plan = null)
{
    /// <summary>Classifies an exception that ended a command.</summary>
    /// <param name="exception">What the command threw.</param>
    /// <returns>The failure.</returns>
    public static CommandFailure From(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return exception switch
        {
            UsageException or ArgumentException => new(ExitCodes.Usage, "usage", exception.Message),
            MigrationRefusedException refused => new(ExitCodes.Refused, "refused", refused.Message, null, refused.Preflight),
            CommandRefusedException or WorkloadRefusedException => new(ExitCodes.Refused, "refused", exception.Message),
            MigrationFailedException failed when WorkloadRunsOnSourceAsBefore(failed) =>
                new(ExitCodes.RolledBack, "rolledBack", failed.Message, failed.Record),
            MigrationFailedException failed => new(ExitCodes.NeedsAttention, "needsAttention", failed.Message, failed.Record),
            OperationCanceledException => new(ExitCodes.Cancelled, "cancelled", "Interrupted; nothing was changed."),
            _ => new(ExitCodes.Error, "error", exception.Message),
        };
    }

    /// <summary>
    /// Whether the failed phase left the workload running on its source as it was before the phase: the engine rolled
    /// a switch back, or a phase before any switch (begin, sync, abort) failed with the workload untouched. Anything
    /// else (a failed complete or undo, a switch that could not be rolled back) needs a person.
    /// </summary>
    /// <param name="failure">The failure.</param>
    /// <returns>True for exit code 4, false for 5.</returns>
    public static bool WorkloadRunsOnSourceAsBefore(MigrationFailedException failure)
    {
        ArgumentNullException.ThrowIfNull(failure);
        return failure.RolledBack
            || failure.Record is { Owner: WorkloadOwner.Source, ActivePhase: null, State: MigrationState.Created or MigrationState.Begun or MigrationState.Synced };
    }
}
