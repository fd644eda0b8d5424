using System;
using System.Linq;

namespace MigrationTools.Engine.Migrations;

/// <summary>The legal moves between <see cref="MigrationState"/>s, kept in this one place.</summary>
public static class MigrationStateMachine
{
    /// <summary>Whether a migration in <paramref name="state"/> is over, so the workload is free for another one.</summary>
    /// <param name="state">The state.</param>
    /// <returns><see langword="true"/> for Completed, Aborted and RolledBack.</returns>
    public static bool IsTerminal(MigrationState state) =>
        state is MigrationState.Completed or MigrationState.Aborted or MigrationState.RolledBack;

    /// <summary>Whether the engine may move a migration from <paramref name="from"/> to <paramref name="to"/>.</summary>
    /// <param name="from">The current state.</param>
    /// <param name="to">The wanted state.</param>
    /// <returns>Whether the move is legal. Moves out of Failed are never legal here; see <see cref="Recover"/>.</returns>
    public static bool CanMove(MigrationState from, MigrationState to) => from switch
    {
        MigrationState.Created => to is MigrationState.Begun or MigrationState.Aborted,
        MigrationState.Begun => to is MigrationState.Synced or MigrationState.Switching or MigrationState.Aborted or MigrationState.Failed,
        MigrationState.Synced => to is MigrationState.Synced or MigrationState.Switching or MigrationState.Aborted or MigrationState.Failed,
        // Back to Synced: the switch was rolled back by itself and the copy is still in step, so it may be retried.
        MigrationState.Switching => to is MigrationState.Switched or MigrationState.Synced or MigrationState.RolledBack or MigrationState.Failed,
        MigrationState.Switched => to is MigrationState.Completed or MigrationState.RolledBack or MigrationState.Failed,
        _ => false,
    };

    /// <summary>Whether a person may declare a failed migration to be in <paramref name="to"/>.</summary>
    /// <param name="to">The state the person established.</param>
    /// <returns>Whether <see cref="Recover"/> accepts it.</returns>
    public static bool CanRecoverTo(MigrationState to) =>
        to is MigrationState.Begun or MigrationState.Synced or MigrationState.Switched or MigrationState.RolledBack or MigrationState.Aborted;

    /// <summary>The record moved to <paramref name="to"/>, with <paramref name="phase"/> appended to its history.</summary>
    /// <param name="record">The record.</param>
    /// <param name="to">The new state.</param>
    /// <param name="phase">The step that brought it there; its end (else its start) becomes <see cref="MigrationRecord.UpdatedAt"/>.</param>
    /// <returns>The new record.</returns>
    /// <exception cref="InvalidOperationException">The move is not legal.</exception>
    public static MigrationRecord Move(MigrationRecord record, MigrationState to, PhaseRecord phase)
    {
        if (record is null)
        {
            throw new ArgumentNullException(nameof(record));
        }

        if (phase is null)
        {
            throw new ArgumentNullException(nameof(phase));
        }

        if (!CanMove(record.State, to))
        {
            var hint = record.State == MigrationState.Failed
                ? " A failed migration leaves that state only when a person has fixed it and recovers it explicitly."
                : IsTerminal(record.State) ? " The migration is over." : "";
            throw new InvalidOperationException(
                $"Migration {record.Id} of {record.Workload} cannot move from {record.State} to {to}.{hint}");
        }

        return record with
        {
            State = to,
            Phases = record.Phases.Append(phase).ToArray(),
            UpdatedAt = phase.End ?? phase.Start,
        };
    }

    /// <summary>
    /// The failed record declared to be in <paramref name="to"/>, after a person has made the hosts match that state.
    /// Clears <see cref="MigrationRecord.LastError"/>.
    /// </summary>
    /// <param name="record">The failed record.</param>
    /// <param name="to">Begun, Synced, Switched, RolledBack or Aborted.</param>
    /// <param name="owner">The host that runs the workload now.</param>
    /// <param name="at">When the recovery was recorded.</param>
    /// <returns>The new record.</returns>
    /// <exception cref="InvalidOperationException">The record has not failed, or <paramref name="to"/> is not a state one can recover to.</exception>
    public static MigrationRecord Recover(MigrationRecord record, MigrationState to, WorkloadOwner owner, DateTimeOffset at)
    {
        if (record is null)
        {
            throw new ArgumentNullException(nameof(record));
        }

        if (record.State != MigrationState.Failed)
        {
            throw new InvalidOperationException(
                $"Migration {record.Id} of {record.Workload} is {record.State}, not Failed; only a failed migration is recovered.");
        }

        if (!CanRecoverTo(to))
        {
            throw new InvalidOperationException(
                $"Migration {record.Id} of {record.Workload} cannot be recovered to {to}; choose Begun, Synced, Switched, RolledBack or Aborted.");
        }

        return record with { State = to, Owner = owner, LastError = null, UpdatedAt = at };
    }
}
