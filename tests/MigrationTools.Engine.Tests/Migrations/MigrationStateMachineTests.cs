using MigrationTools.Engine.Migrations;

namespace MigrationTools.Engine.Tests.Migrations;

/// <summary>Every pair of states: the legal moves succeed and every other move is refused.</summary>
public class MigrationStateMachineTests
{
    private static readonly HashSet<(MigrationState, MigrationState)> Legal =
    [
        (MigrationState.Created, MigrationState.Begun),
        (MigrationState.Created, MigrationState.Aborted),
        (MigrationState.Begun, MigrationState.Synced),
        (MigrationState.Begun, MigrationState.Switching),
        (MigrationState.Begun, MigrationState.Aborted),
        (MigrationState.Begun, MigrationState.Failed),
        (MigrationState.Synced, MigrationState.Synced),
        (MigrationState.Synced, MigrationState.Switching),
        (MigrationState.Synced, MigrationState.Aborted),
        (MigrationState.Synced, MigrationState.Failed),
        (MigrationState.Switching, MigrationState.Switched),
        (MigrationState.Switching, MigrationState.Synced),
        (MigrationState.Switching, MigrationState.RolledBack),
        (MigrationState.Switching, MigrationState.Failed),
        (MigrationState.Switched, MigrationState.Completed),
        (MigrationState.Switched, MigrationState.RolledBack),
        (MigrationState.Switched, MigrationState.Failed),
    ];

    public static TheoryData<MigrationState, MigrationState> AllPairs()
    {
        var data = new TheoryData<MigrationState, MigrationState>();
        foreach (var from in Enum.GetValues<MigrationState>())
        {
            foreach (var to in Enum.GetValues<MigrationState>())
            {
                data.Add(from, to);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(AllPairs))]
    public void OnlyTheListedMovesAreLegal(MigrationState from, MigrationState to)
    {
        var record = SampleRecords.New() with { State = from };
        var phase = new PhaseRecord(MigrationPhase.Sync, SampleRecords.Created.AddMinutes(1), SampleRecords.Created.AddMinutes(2), "ok", 42);

        Assert.Equal(Legal.Contains((from, to)), MigrationStateMachine.CanMove(from, to));
        if (Legal.Contains((from, to)))
        {
            var moved = MigrationStateMachine.Move(record, to, phase);
            Assert.Equal(to, moved.State);
            Assert.Equal(phase, Assert.Single(moved.Phases));
            Assert.Equal(phase.End, moved.UpdatedAt);
            Assert.Equal(from, record.State);
            Assert.Empty(record.Phases);
        }
        else
        {
            var error = Assert.Throws<InvalidOperationException>(() => MigrationStateMachine.Move(record, to, phase));
            Assert.Contains($"from {from} to {to}", error.Message, StringComparison.Ordinal);
            Assert.Contains(record.Id.Value, error.Message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(MigrationState.Completed, true)]
    [InlineData(MigrationState.Aborted, true)]
    [InlineData(MigrationState.RolledBack, true)]
    [InlineData(MigrationState.Failed, false)]
    [InlineData(MigrationState.Created, false)]
    [InlineData(MigrationState.Switching, false)]
    public void TerminalStatesAreTheEndsOfAMigration(MigrationState state, bool terminal) =>
        Assert.Equal(terminal, MigrationStateMachine.IsTerminal(state));

    [Fact]
    public void AMoveWithoutAnEndTimeUsesTheStart()
    {
        var phase = new PhaseRecord(MigrationPhase.Begin, SampleRecords.Created.AddHours(1), null, null, 0);

        var moved = MigrationStateMachine.Move(SampleRecords.New(), MigrationState.Begun, phase);

        Assert.Equal(phase.Start, moved.UpdatedAt);
    }

    [Fact]
    public void MovesAppendToTheHistory()
    {
        var at = SampleRecords.Created;
        var record = MigrationStateMachine.Move(SampleRecords.New(), MigrationState.Begun, new(MigrationPhase.Begin, at, at, null, 1));
        record = MigrationStateMachine.Move(record, MigrationState.Synced, new(MigrationPhase.Sync, at, at, null, 2));
        record = MigrationStateMachine.Move(record, MigrationState.Synced, new(MigrationPhase.Sync, at, at, null, 3));

        Assert.Equal([1L, 2L, 3L], record.Phases.Select(p => p.Bytes));
    }

    [Theory]
    [InlineData(MigrationState.Begun, true)]
    [InlineData(MigrationState.Synced, true)]
    [InlineData(MigrationState.Switched, true)]
    [InlineData(MigrationState.RolledBack, true)]
    [InlineData(MigrationState.Aborted, true)]
    [InlineData(MigrationState.Created, false)]
    [InlineData(MigrationState.Switching, false)]
    [InlineData(MigrationState.Completed, false)]
    [InlineData(MigrationState.Failed, false)]
    public void AFailedMigrationIsRecoveredOnlyToAConsistentState(MigrationState to, bool allowed)
    {
        var failed = SampleRecords.New() with { State = MigrationState.Failed, LastError = "restore failed" };
        var at = SampleRecords.Created.AddDays(1);

        Assert.Equal(allowed, MigrationStateMachine.CanRecoverTo(to));
        if (allowed)
        {
            var recovered = MigrationStateMachine.Recover(failed, to, WorkloadOwner.Destination, at);
            Assert.Equal(to, recovered.State);
            Assert.Equal(WorkloadOwner.Destination, recovered.Owner);
            Assert.Null(recovered.LastError);
            Assert.Equal(at, recovered.UpdatedAt);
        }
        else
        {
            Assert.Throws<InvalidOperationException>(() => MigrationStateMachine.Recover(failed, to, WorkloadOwner.Source, at));
        }
    }

    [Fact]
    public void OnlyAFailedMigrationIsRecovered()
    {
        var error = Assert.Throws<InvalidOperationException>(() =>
            MigrationStateMachine.Recover(SampleRecords.New() with { State = MigrationState.Synced }, MigrationState.Begun, WorkloadOwner.Source, SampleRecords.Created));

        Assert.Contains("not Failed", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MovingOutOfFailedPointsToRecovery()
    {
        var failed = SampleRecords.New() with { State = MigrationState.Failed };

        var error = Assert.Throws<InvalidOperationException>(() =>
            MigrationStateMachine.Move(failed, MigrationState.Synced, new(MigrationPhase.Sync, SampleRecords.Created, null, null, 0)));

        Assert.Contains("recovers it explicitly", error.Message, StringComparison.Ordinal);
    }
}
