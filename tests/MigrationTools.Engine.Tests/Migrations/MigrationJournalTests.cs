using System.Text;
using MigrationTools.Engine.Journal;
using MigrationTools.Engine.Migrations;
using MigrationTools.Engine.Tests.Remote;
using MigrationTools.Engine.Workloads;

namespace MigrationTools.Engine.Tests.Migrations;

/// <summary>The journal in a temporary directory: atomic create and save, conflicts, corrupt files left alone.</summary>
public sealed class MigrationJournalTests : IDisposable
{
    private static readonly string[] Hosts = ["a", "b"];

    private readonly string _root;
    private readonly MigrationJournal _journal;

    public MigrationJournalTests()
    {
        var directory = SampleRecords.TempDirectory();
        _root = Path.GetDirectoryName(directory)!;
        _journal = new MigrationJournal(directory);
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void APathThatNamesAFileIsRefusedAndTheFileIsLeftAlone()
    {
        var file = Path.Combine(_root, "not-a-journal");
        File.WriteAllText(file, "kept");

        var error = Assert.Throws<IOException>(() => new MigrationJournal(file));

        Assert.Contains("is a file, not a directory", error.Message, StringComparison.Ordinal);
        Assert.Equal("kept", File.ReadAllText(file));
    }

    [Fact]
    public void LogsAreKeptBesideTheRecordOwnerOnlyAndDoNotDisturbTheListing()
    {
        var record = _journal.Create(SampleRecords.Full());

        var path = _journal.SaveLog(record.Id, "restore.log", "first");
        _journal.SaveLog(record.Id, "restore.log", "(00.1) Restore finished successfully");

        Assert.Equal(Path.Combine(_journal.Directory, record.Id.Value + ".logs", "restore.log"), path);
        Assert.Equal("(00.1) Restore finished successfully", File.ReadAllText(path));
        Assert.Single(Directory.GetFiles(_journal.LogDirectoryOf(record.Id)));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(_journal.LogDirectoryOf(record.Id)));
        }

        var listing = _journal.List();
        Assert.Single(listing.Records);
        Assert.Empty(listing.Errors);
        Assert.Throws<ArgumentException>(() => _journal.SaveLog(record.Id, "../escape", "x"));
        Assert.Throws<ArgumentException>(() => _journal.SaveLog(record.Id, ".hidden", "x"));
    }

    [Fact]
    public void CreateStoresVersionOneAndLoadReadsItBack()
    {
        var record = SampleRecords.Full();

        var stored = _journal.Create(record);
        var loaded = _journal.Load(record.Id);

        Assert.Equal(1, stored.Version);
        Assert.Equal(MigrationRecordJson.Serialize(stored), MigrationRecordJson.Serialize(loaded));
        Assert.Equal(Path.Combine(_journal.Directory, record.Id.Value + ".json"), _journal.PathOf(record.Id));
        Assert.True(File.Exists(_journal.PathOf(record.Id)));
    }

    [Fact]
    public void CreatingTheSameIdTwiceIsRefusedAndKeepsTheFirst()
    {
        var record = SampleRecords.New();
        _journal.Create(record);
        var before = File.ReadAllBytes(_journal.PathOf(record.Id));

        var error = Assert.Throws<JournalConflictException>(() => _journal.Create(record with { Source = "root@elsewhere", State = MigrationState.Aborted }));

        Assert.Contains("already exists", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllBytes(_journal.PathOf(record.Id)));
        Assert.Empty(Directory.GetFiles(_journal.Directory, "*.tmp"));
    }

    [Fact]
    public void AWorkloadHasAtMostOneActiveMigration()
    {
        var first = _journal.Create(SampleRecords.New("web"));
        _journal.Create(SampleRecords.New("db"));

        Assert.Equal(first.Id, _journal.FindActive(WorkloadName.Parse("web"))!.Id);
        var error = Assert.Throws<JournalConflictException>(() => _journal.Create(SampleRecords.New("web")));
        Assert.Contains(first.Id.Value, error.Message, StringComparison.Ordinal);

        _journal.Save(first with { State = MigrationState.Aborted });

        Assert.Null(_journal.FindActive(WorkloadName.Parse("web")));
        Assert.Equal(1, _journal.Create(SampleRecords.New("web")).Version);
    }

    [Fact]
    public void SaveIncrementsTheVersion()
    {
        var stored = _journal.Create(SampleRecords.New());

        var saved = _journal.Save(stored with { SyncCount = 1 });
        var again = _journal.Save(saved with { SyncCount = 2 }, 2);

        Assert.Equal(2, saved.Version);
        Assert.Equal(3, again.Version);
        var loaded = _journal.Load(stored.Id);
        Assert.Equal(3, loaded.Version);
        Assert.Equal(2, loaded.SyncCount);
        Assert.Empty(Directory.GetFiles(_journal.Directory, "*.tmp"));
    }

    [Fact]
    public void SavingAStaleVersionIsAConflict()
    {
        var stored = _journal.Create(SampleRecords.New());
        _journal.Save(stored with { SyncCount = 1 });
        var before = File.ReadAllBytes(_journal.PathOf(stored.Id));

        var error = Assert.Throws<JournalConflictException>(() => _journal.Save(stored with { SyncCount = 9 }));

        Assert.Contains("version 2, not 1", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllBytes(_journal.PathOf(stored.Id)));
    }

    [Fact]
    public void DiscardRemovesACreatedRecordAsReadAndFreesTheWorkload()
    {
        var stored = _journal.Create(SampleRecords.New());

        _journal.Discard(stored);

        Assert.False(File.Exists(_journal.PathOf(stored.Id)));
        Assert.Null(_journal.FindActive(WorkloadName.Parse("web")));
        Assert.Equal(1, _journal.Create(SampleRecords.New("web")).Version);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void DiscardKeepsARecordThatChangedOrLeftCreated(bool begun)
    {
        var stored = _journal.Create(SampleRecords.New());
        var saved = _journal.Save(begun ? stored with { State = MigrationState.Begun } : stored with { LastError = "claim failed" });
        var before = File.ReadAllBytes(_journal.PathOf(stored.Id));

        var error = Assert.Throws<JournalConflictException>(() => _journal.Discard(begun ? saved : stored));

        Assert.Contains("is kept", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllBytes(_journal.PathOf(stored.Id)));
    }

    [Fact]
    public void SavingAMigrationThatIsNotThereIsAConflict()
    {
        var error = Assert.Throws<JournalConflictException>(() => _journal.Save(SampleRecords.New()));

        Assert.Contains("not in the journal", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OfTwoConcurrentSavesExactlyOneWins()
    {
        for (var round = 0; round < 20; round++)
        {
            var stored = _journal.Create(SampleRecords.New($"w{round}"));
            using var start = new ManualResetEventSlim();
            var saves = Hosts.Select(host => Task.Run(() =>
            {
                start.Wait();
                return _journal.Save(stored with { Destination = host }, 1);
            })).ToArray();
            start.Set();

            var outcomes = await Task.WhenAll(saves.Select(async save =>
            {
                try
                {
                    return (Saved: await save, Error: (Exception?)null);
                }
                catch (JournalConflictException e)
                {
                    return (Saved: (MigrationRecord?)null, Error: (Exception?)e);
                }
            }));

            var winner = Assert.Single(outcomes, o => o.Saved is not null).Saved!;
            Assert.Single(outcomes, o => o.Error is JournalConflictException);
            var loaded = _journal.Load(stored.Id);
            Assert.Equal(2, loaded.Version);
            Assert.Equal(winner.Destination, loaded.Destination);
        }
    }

    [Fact]
    public void LoadOfAMissingMigrationSaysSo()
    {
        var id = MigrationId.New();

        Assert.Null(_journal.TryLoad(id));
        Assert.Throws<FileNotFoundException>(() => _journal.Load(id));
    }

    public static TheoryData<string> Damage() => new() { "truncated", "empty", "garbage", "missingField", "otherId" };

    [Theory]
    [MemberData(nameof(Damage))]
    public void CorruptFilesAreReportedAndLeftUntouched(string damage)
    {
        var stored = _journal.Create(SampleRecords.Full());
        var path = _journal.PathOf(stored.Id);
        var good = File.ReadAllBytes(path);
        var bad = damage switch
        {
            "truncated" => good[..(good.Length / 2)],
            "empty" => [],
            "garbage" => Encoding.UTF8.GetBytes("\0\0\0 not json"),
            "missingField" => Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(good).Replace("\"owner\": \"destination\",", "", StringComparison.Ordinal)),
            _ => Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(good).Replace(stored.Id.Value, "m-000000000000", StringComparison.Ordinal)),
        };
        File.WriteAllBytes(path, bad);

        var load = Assert.Throws<JournalCorruptException>(() => _journal.Load(stored.Id));
        Assert.Equal(path, load.File);
        Assert.Contains(path, load.Message, StringComparison.Ordinal);
        Assert.Throws<JournalCorruptException>(() => _journal.TryLoad(stored.Id));
        Assert.Throws<JournalCorruptException>(() => _journal.Save(stored));
        Assert.Throws<JournalCorruptException>(() => _journal.Create(SampleRecords.New("other")));

        Assert.Equal(bad, File.ReadAllBytes(path));
        Assert.Empty(Directory.GetFiles(_journal.Directory, "*.tmp"));
    }

    [Fact]
    public void ListReturnsTheGoodRecordsAndTheErrors()
    {
        var good = _journal.Create(SampleRecords.New("web"));
        var damaged = _journal.Create(SampleRecords.New("db"));
        File.WriteAllText(_journal.PathOf(damaged.Id), "{\"id\": ");
        File.WriteAllText(Path.Combine(_journal.Directory, "notes.json"), "{}");

        var listing = _journal.List();

        Assert.Equal(good.Id, Assert.Single(listing.Records).Id);
        Assert.Equal(2, listing.Errors.Count);
        Assert.Contains(listing.Errors, e => e.File == _journal.PathOf(damaged.Id));
        Assert.Contains(listing.Errors, e => e.File!.EndsWith("notes.json", StringComparison.Ordinal));
        Assert.Equal(good.Id, _journal.FindActive(WorkloadName.Parse("web"))!.Id);
    }

    [LinuxFact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void TheDirectoryAndFilesAreOwnerOnly()
    {
        var stored = _journal.Create(SampleRecords.New());
        _journal.Save(stored);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(_journal.Directory));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(_journal.PathOf(stored.Id)));
        Assert.All(Directory.GetFiles(_journal.Directory), f => Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(f)));
    }
}
