using System;
using System.Linq;
using MigrationTools.Engine.Migrations;

namespace MigrationTools.Engine.Switching;

/// <summary>How a switch's end is written into the record's phases.</summary>
internal static class SwitchPhaseRecord
{
    /// <summary>
    /// The record moved to <paramref name="state"/> with the open switch phase closed at <paramref name="end"/> (or a
    /// switch phase added), counting as its bytes what the record gained since the phases before it.
    /// </summary>
    public static MigrationRecord Close(MigrationRecord record, MigrationState state, string outcome, DateTimeOffset end)
    {
        var phases = record.Phases.ToList();
        var open = phases.FindLastIndex(p => p.Phase == MigrationPhase.Switch && p.End is null);
        var bytes = record.BytesTransferred - (record.Phases.Sum(p => p.Bytes) - (open >= 0 ? phases[open].Bytes : 0));
        var closed = new PhaseRecord(MigrationPhase.Switch, open >= 0 ? phases[open].Start : end, end, outcome, Math.Max(0, bytes));
        if (open >= 0)
        {
            phases[open] = closed;
        }
        else
        {
            phases.Add(closed);
        }

        var moved = record.State == state ? record : MigrationStateMachine.Move(record, state, closed);
        return moved with { Phases = phases, ActivePhase = null, UpdatedAt = end };
    }
}
