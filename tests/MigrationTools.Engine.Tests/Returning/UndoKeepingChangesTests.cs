using System.Text;
using MigrationTools.Engine.Journal;
using MigrationTools.Engine.Migrations;
using MigrationTools.Engine.Phases;
using MigrationTools.Engine.Placement;
using MigrationTools.Engine.Remote;
using MigrationTools.Engine.Switching;
using MigrationTools.Engine.Tests.Migrations;
using MigrationTools.Engine.Transfer;
using MigrationTools.Engine.Workloads;
using MigrationTools.Engine.Zfs;

namespace MigrationTools.Engine.Tests.Returning;

/// <summary>
/// An undo that keeps the destination's changes: its reversed replication, its own checkpoint directory, its marker in
/// the journal, and its refusals, decided from the journal alone before any host is contacted (the hosts here do not exist).
/// </summary>
public sealed class UndoKeepingChangesTests : IDisposable
{
    private readonly string _directory = SampleRecords.TempDirectory();
    private readonly MigrationJournal _journal;
    private readonly MigrationEngine _engine;

    public UndoKeepingChangesTests()
    {
        _journal = new MigrationJournal(_directory);
        _engine = new MigrationEngine(_journal, new SshOptions { ConfigFile = "/dev/null" });
    }

    [Fact]
    public void TheChangesTravelFromTheDestinationsCopyIntoTheSourcesDatasetWithTheMigrationsSettings()
    {
        var record = SampleRecords.Full();
        var dataset = record.Datasets[0];
        var forward = ReplicationRequests.For(record, dataset);

        var back = ReturnReplication.For(record, dataset);

        Assert.Equal(DatasetName.Parse("backup/web"), back.Source);
        Assert.Equal(DatasetName.Parse("tank/web"), back.Target);
        Assert.Equal(record.Id.Value, back.MigrationId);
        Assert.Equal(forward.HoldTag, back.HoldTag);
        Assert.Equal(TransferPath.Direct, back.Path);
        // Direct: the destination sends to the source, as the destination reaches it.
        Assert.Equal(SshDestination.Parse("root@host-a"), back.DirectPeer);
        Assert.Equal(SshDestination.Parse("root@host-b:2222"), forward.DirectPeer);
        Assert.Equal(forward.Compression, back.Compression);
        Assert.Equal(forward.BandwidthLimit, back.BandwidthLimit);
        Assert.True(back.IncludeChildren);
        // Never destructive, and the source's dataset stays fenced until the workload is about to run there.
        Assert.False(back.Force);
        Assert.False(back.LeaveCopyWritable);
    }

    [Fact]
    public void ThroughTheControllerTheRequestNamesNoPeer()
    {
        var record = SampleRecords.Full() with { Settings = new MigrationSettings() };

        var back = ReturnReplication.For(record, record.Datasets[1]);

        Assert.Equal(TransferPath.Relay, back.Path);
        Assert.Null(back.DirectPeer);
        Assert.Equal(DatasetName.Parse("backup/web/logs"), back.Source);
        Assert.Equal(DatasetName.Parse("tank/web/logs"), back.Target);
    }

    [Fact]
    public void TheUndosCheckpointHasADirectoryOfItsOwnBesideTheSwitchs()
    {
        var record = SampleRecords.Full();

        var switched = CheckpointImages.Of(record);
        var returned = ReturnReplication.ImagesOf(record);

        Assert.NotEqual(switched, returned);
        Assert.Equal(switched.Parent, returned.Parent);
        Assert.StartsWith(switched.Name, returned.Name, StringComparison.Ordinal);
        Assert.NotEqual(ReturnReplication.ImagesOf(SampleRecords.Full()), returned);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void AnUndoUnderWayRoundTripsThroughTheJournal(bool checkpointed)
    {
        var record = SampleRecords.Full() with
        {
            Return = new WorkloadReturn(checkpointed ? new WorkloadProcess(5151, 123456) : null),
        };

        var read = MigrationRecordJson.Parse(MigrationRecordJson.Serialize(record), "/journal/x.json");

        Assert.Equal(record.Return, read.Return);
        Assert.Equal(MigrationRecordJson.Serialize(record), MigrationRecordJson.Serialize(read));
    }

    [Fact]
    public void ARecordWithNoUndoUnderWayIsWrittenAsBefore()
    {
        var record = SampleRecords.Full();

        var json = Encoding.UTF8.GetString(MigrationRecordJson.Serialize(record));

        Assert.DoesNotContain("\"return\"", json, StringComparison.Ordinal);
        Assert.Null(MigrationRecordJson.Parse(MigrationRecordJson.Serialize(record), "/journal/x.json").Return);
    }

    [Theory]
    [InlineData(MigrationState.Switching)]
    [InlineData(MigrationState.Completed)]
    [InlineData(MigrationState.Synced)]
    [InlineData(MigrationState.Aborted)]
    [InlineData(MigrationState.Failed)]
    public async Task KeepingChangesNeedsACommittedSwitchAndOtherwiseChangesNothing(MigrationState state)
    {
        var record = Store(state);
        var before = await File.ReadAllBytesAsync(_journal.PathOf(record.Id));

        var refused = await Assert.ThrowsAsync<MigrationRefusedException>(() => _engine.UndoAsync(record.Id, keepChanges: true));

        Assert.Contains(record.Id.Value, refused.Message, StringComparison.Ordinal);
        Assert.Contains(state.ToString(), refused.Message, StringComparison.Ordinal);
        Assert.Contains("keeps changes", refused.Message, StringComparison.Ordinal);
        Assert.Equal(before, await File.ReadAllBytesAsync(_journal.PathOf(record.Id)));
    }

    [Fact]
    public async Task AMigrationRolledBackAlreadyIsReturnedUntouched()
    {
        var record = Store(MigrationState.RolledBack);

        var again = await _engine.UndoAsync(record.Id, keepChanges: true);

        Assert.Equal(MigrationRecordJson.Serialize(record), MigrationRecordJson.Serialize(again));
    }

    [Fact]
    public async Task CompleteIsRefusedWhileAnUndoKeepingChangesIsUnderWay()
    {
        var record = _journal.Save(Store(MigrationState.Switched) with { Return = new WorkloadReturn(new WorkloadProcess(5151, 123456)) });
        var before = await File.ReadAllBytesAsync(_journal.PathOf(record.Id));

        var refused = await Assert.ThrowsAsync<MigrationRefusedException>(() => _engine.CompleteAsync(record.Id));

        Assert.Contains("undo again", refused.Message, StringComparison.Ordinal);
        Assert.Equal(before, await File.ReadAllBytesAsync(_journal.PathOf(record.Id)));
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
        return _journal.Save(record with { State = state });
    }
}
