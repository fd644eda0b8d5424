using MigrationTools.Engine.Migrations;
using MigrationTools.Engine.Switching;

namespace MigrationTools.Engine.Tests.Migrations;

/// <summary>How the end of a switch (committed, rolled back, failed) is written into the record's phases.</summary>
public sealed class SwitchPhaseRecordTests
{
    private static readonly DateTimeOffset Opened = SampleRecords.Created.AddMinutes(4);
    private static readonly DateTimeOffset End = SampleRecords.Created.AddMinutes(5);

    private static MigrationRecord Switching() => SampleRecords.New() with
    {
        State = MigrationState.Switching,
        ActivePhase = MigrationPhase.Switch,
        BytesTransferred = 1500,
        Phases =
        [
            new PhaseRecord(MigrationPhase.Begin, SampleRecords.Created, SampleRecords.Created.AddSeconds(30), "full stream", 1000),
            new PhaseRecord(MigrationPhase.Switch, Opened, null, null, 0),
        ],
    };

    [Fact]
    public void TheOpenSwitchPhaseIsClosedWithWhatTheSwitchSent()
    {
        var closed = SwitchPhaseRecord.Close(Switching(), MigrationState.Switched, "committed", End);

        Assert.Equal(MigrationState.Switched, closed.State);
        Assert.Null(closed.ActivePhase);
        Assert.Equal(End, closed.UpdatedAt);
        Assert.Equal(2, closed.Phases.Count);
        Assert.Equal(new PhaseRecord(MigrationPhase.Switch, Opened, End, "committed", 500), closed.Phases[1]);
    }

    [Fact]
    public void ASwitchWithoutAnOpenPhaseGetsOneEndingNow()
    {
        var record = Switching() with { Phases = [new PhaseRecord(MigrationPhase.Begin, SampleRecords.Created, SampleRecords.Created.AddSeconds(30), "full stream", 1000)] };

        var closed = SwitchPhaseRecord.Close(record, MigrationState.Synced, "rolled back: health", End);

        Assert.Equal(MigrationState.Synced, closed.State);
        Assert.Equal(new PhaseRecord(MigrationPhase.Switch, End, End, "rolled back: health", 500), closed.Phases[^1]);
    }

    [Fact]
    public void ClosingAClosedSwitchAddsAPhaseForTheLaterOutcomeWithoutCountingBytesTwice()
    {
        var switched = SwitchPhaseRecord.Close(Switching(), MigrationState.Switched, "committed", End);
        var later = End.AddSeconds(3);

        var again = SwitchPhaseRecord.Close(switched, MigrationState.Switched, "committed; hook failed", later);

        Assert.Equal(MigrationState.Switched, again.State);
        Assert.Equal(switched.Phases, again.Phases.Take(2));
        Assert.Equal(new PhaseRecord(MigrationPhase.Switch, later, later, "committed; hook failed", 0), again.Phases[2]);
    }

    [Fact]
    public void AByteCountThatWentBackwardsIsNotRecordedAsNegative()
    {
        var record = Switching() with { BytesTransferred = 10 };

        var closed = SwitchPhaseRecord.Close(record, MigrationState.Failed, "failed; rollback failed", End);

        Assert.Equal(0, closed.Phases[^1].Bytes);
        Assert.Equal(MigrationState.Failed, closed.State);
    }
}
