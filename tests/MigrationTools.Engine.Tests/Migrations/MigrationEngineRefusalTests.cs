using MigrationTools.Engine.Journal;
using MigrationTools.Engine.Migrations;
using MigrationTools.Engine.Phases;
using MigrationTools.Engine.Workloads;
using MigrationTools.Engine.Zfs;

namespace MigrationTools.Engine.Tests.Migrations;

/// <summary>
/// Phases asked of a migration in the wrong state are refused from the journal alone, before any host is contacted
/// (the hosts here do not exist), and leave the record as it was.
/// </summary>
public sealed class MigrationEngineRefusalTests : IDisposable
{
    private readonly string _directory = SampleRecords.TempDirectory();
    private readonly MigrationJournal _journal;
    private readonly MigrationEngine _engine;

    public MigrationEngineRefusalTests()
    {
        _journal = new MigrationJournal(_directory);
        _engine = new MigrationEngine(_journal, new Engine.Remote.SshOptions { ConfigFile = "/dev/null" });
    }

    public static TheoryData<MigrationState, string> WrongStates() => new()
    {
        { MigrationState.Created, "sync" },
        { MigrationState.Switched, "sync" },
        { MigrationState.Completed, "switch" },
        { MigrationState.Aborted, "switch" },
        { MigrationState.Synced, "complete" },
        { MigrationState.Switching, "complete" },
        { MigrationState.Synced, "undo" },
        { MigrationState.Completed, "undo" },
        { MigrationState.Switched, "abort" },
        { MigrationState.Switching, "abort" },
        { MigrationState.Failed, "sync" },
    };

    [Theory]
    [MemberData(nameof(WrongStates))]
    public async Task APhaseInTheWrongStateIsRefusedAndChangesNothing(MigrationState state, string phase)
    {
        var record = Store(state);
        var before = await File.ReadAllBytesAsync(_journal.PathOf(record.Id));

        var refused = await Assert.ThrowsAsync<MigrationRefusedException>(() => phase switch
        {
            "sync" => _engine.SyncAsync(record.Id),
            "switch" => _engine.SwitchAsync(record.Id),
            "complete" => _engine.CompleteAsync(record.Id),
            "undo" => _engine.UndoAsync(record.Id),
            _ => _engine.AbortAsync(record.Id),
        });

        Assert.Contains(record.Id.Value, refused.Message, StringComparison.Ordinal);
        Assert.Contains(state.ToString(), refused.Message, StringComparison.Ordinal);
        Assert.Equal(before, await File.ReadAllBytesAsync(_journal.PathOf(record.Id)));
    }

    [Theory]
    [InlineData(MigrationState.Completed)]
    [InlineData(MigrationState.Aborted)]
    [InlineData(MigrationState.RolledBack)]
    [InlineData(MigrationState.Switched)]
    public async Task APhaseThatIsAlreadyDoneReturnsTheRecordUntouched(MigrationState state)
    {
        var record = Store(state);

        var again = state switch
        {
            MigrationState.Completed => await _engine.CompleteAsync(record.Id),
            MigrationState.Aborted => await _engine.AbortAsync(record.Id),
            MigrationState.RolledBack => await _engine.UndoAsync(record.Id),
            _ => await _engine.SwitchAsync(record.Id),
        };

        Assert.Equal(MigrationRecordJson.Serialize(record), MigrationRecordJson.Serialize(again));
    }

    public static TheoryData<MigrationPhase, bool, string, string> OppositeBegan() => new()
    {
        // A complete that failed (a phase record) or died (still active) has ended what the source kept to go back to.
        { MigrationPhase.Complete, false, "can no longer be undone", "run complete again" },
        { MigrationPhase.Complete, true, "can no longer be undone", "run complete again" },
        // An undo that failed or died may have stopped the workload on the destination; these hosts do not exist, so
        // nothing can show that it still runs there.
        { MigrationPhase.Undo, false, "cannot complete yet: an undo of it began", "or undo again" },
        { MigrationPhase.Undo, true, "cannot complete yet: an undo of it began", "or undo again" },
    };

    [Theory]
    [MemberData(nameof(OppositeBegan))]
    public async Task OnceACompleteOrAnUndoBeganTheOtherIsRefusedAndChangesNothing(MigrationPhase began, bool stillActive, string says, string advises)
    {
        var switched = Store(MigrationState.Switched);
        var record = _journal.Save(stillActive
            ? switched with { ActivePhase = began }
            : switched with { Phases = [.. switched.Phases, new PhaseRecord(began, SampleRecords.Created, SampleRecords.Created, "failed", 0)] });
        var before = await File.ReadAllBytesAsync(_journal.PathOf(record.Id));

        var refused = await Assert.ThrowsAsync<MigrationRefusedException>(() =>
            began == MigrationPhase.Complete ? _engine.UndoAsync(record.Id) : _engine.CompleteAsync(record.Id));

        Assert.Contains(says, refused.Message, StringComparison.Ordinal);
        Assert.Contains(advises, refused.Message, StringComparison.Ordinal);
        Assert.Equal(before, await File.ReadAllBytesAsync(_journal.PathOf(record.Id)));
    }

    [Fact]
    public async Task CompleteAfterAnUndoBeganLeavingTheDestinationIsRefusedFromTheRecordAlone()
    {
        // The hosts do not exist: were they asked, the refusal would say that the destination cannot be read.
        var switched = Store(MigrationState.Switched);
        var record = _journal.Save(switched with
        {
            LeavingDestination = true,
            Phases = [.. switched.Phases, new PhaseRecord(MigrationPhase.Undo, SampleRecords.Created, SampleRecords.Created, "failed", 0)],
        });
        var before = await File.ReadAllBytesAsync(_journal.PathOf(record.Id));

        var refused = await Assert.ThrowsAsync<MigrationRefusedException>(() => _engine.CompleteAsync(record.Id));

        Assert.Contains("began taking web off root@host-b:2222", refused.Message, StringComparison.Ordinal);
        Assert.Contains("run undo again", refused.Message, StringComparison.Ordinal);
        Assert.Equal(before, await File.ReadAllBytesAsync(_journal.PathOf(record.Id)));
    }

    [Theory]
    [InlineData("sync", true)]
    [InlineData("switch", true)]
    [InlineData("sync", false)]
    [InlineData("switch", false)]
    public async Task SyncOrSwitchAfterAnAbortBeganIsRefusedNamingAbort(string phase, bool abortStillActive)
    {
        // An abort that died (still active) or failed half-way (a phase record) may have destroyed the snapshots.
        var synced = Store(MigrationState.Synced);
        var record = _journal.Save(abortStillActive
            ? synced with { ActivePhase = MigrationPhase.Abort }
            : synced with { Phases = [.. synced.Phases, new PhaseRecord(MigrationPhase.Abort, SampleRecords.Created, SampleRecords.Created, "failed", 0)] });
        var before = await File.ReadAllBytesAsync(_journal.PathOf(record.Id));

        var refused = await Assert.ThrowsAsync<MigrationRefusedException>(() => phase == "sync" ? _engine.SyncAsync(record.Id) : _engine.SwitchAsync(record.Id));

        Assert.Contains("run abort again", refused.Message, StringComparison.Ordinal);
        Assert.Contains($"cannot {phase}", refused.Message, StringComparison.Ordinal);
        Assert.Equal(before, await File.ReadAllBytesAsync(_journal.PathOf(record.Id)));
    }

    [Fact]
    public async Task AnUnknownMigrationIsNamedWithItsJournal()
    {
        var id = MigrationId.New();

        var refused = await Assert.ThrowsAsync<MigrationRefusedException>(() => _engine.SyncAsync(id));

        Assert.Contains(id.Value, refused.Message, StringComparison.Ordinal);
        Assert.Contains(_directory, refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BeginOfAWorkloadWithAMigrationInFlightIsRefusedWithTheNextStep()
    {
        var record = Store(MigrationState.Synced);

        var refused = await Assert.ThrowsAsync<MigrationRefusedException>(() =>
            _engine.BeginAsync(new MigrationRequest(record.Workload, "root@host-a", "root@host-b:2222")));

        Assert.Contains(record.Id.Value, refused.Message, StringComparison.Ordinal);
        Assert.Contains("sync or switch it, or abort it", refused.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "source")]
    [InlineData("-oProxyCommand=x", "source")]
    [InlineData("host a", "source")]
    public void ABadHostIsRefusedByName(string host, string parameter)
    {
        var error = Assert.ThrowsAny<ArgumentException>(() => new MigrationRequest(WorkloadName.Parse("web"), host, "h2"));
        Assert.Equal(parameter, error.ParamName);
    }

    [Fact]
    public void MoveOptionsAndSettingsRefuseAbsurdValues()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new MoveOptions { MaxSyncRounds = 0 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new MoveOptions { MaxSyncRounds = 101 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new MoveOptions { ConvergedBytes = -1 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new MigrationSettings { StopTimeoutSeconds = -1 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new MigrationSettings { StopTimeoutSeconds = 3601 });
    }

    public void Dispose()
    {
        var root = Path.GetDirectoryName(_directory)!;
        if (Directory.Exists(root))
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private MigrationRecord Store(MigrationState state)
    {
        var record = _journal.Create(new MigrationRecord(
            MigrationId.New(), WorkloadName.Parse("web"), "root@host-a", "root@host-b:2222", CheckpointMode.Criu, SampleRecords.Created)
        {
            Datasets = [new DatasetProgress(DatasetName.Parse("tank/web"), DatasetName.Parse("tank/web"), null, null, 0)],
        });
        return state == MigrationState.Created ? record : _journal.Save(record with { State = state });
    }
}
