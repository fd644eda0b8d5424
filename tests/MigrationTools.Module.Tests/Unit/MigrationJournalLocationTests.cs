using MigrationTools.Engine.Journal;
using MigrationTools.Infrastructure;

namespace MigrationTools.Module.Tests.Unit;

/// <summary>Where the cmdlets keep the journal, and that only recording a migration creates it.</summary>
public sealed class MigrationJournalLocationTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "mt-journal-test-" + Guid.NewGuid().ToString("N")[..10]);

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    [Fact]
    public void TheDefaultIsTheEnginesDefaultAsAFullPath()
    {
        Assert.Equal(Path.GetFullPath(MigrationJournal.DefaultDirectory()), MigrationJournalLocation.Resolve(null));
        Assert.Equal(Path.GetFullPath(MigrationJournal.DefaultDirectory()), MigrationJournalLocation.Resolve(""));
        Assert.Equal(Path.Combine(_root, "j"), MigrationJournalLocation.Resolve(Path.Combine(_root, "j", ".")));
    }

    [Fact]
    public void LookingUpAMigrationCreatesNoJournal()
    {
        var directory = Path.Combine(_root, "journal");

        Assert.Null(MigrationJournalLocation.OpenExisting(directory));
        Assert.False(Directory.Exists(directory));
    }

    [Fact]
    public void RecordingOneCreatesItAndTheLookupFindsIt()
    {
        var directory = Path.Combine(_root, "journal");

        var journal = MigrationJournalLocation.Open(directory);

        Assert.True(Directory.Exists(directory));
        Assert.Equal(directory, MigrationJournalLocation.OpenExisting(directory)?.Directory);
        Assert.Empty(MigrationJournalLocation.List(journal).Records);
    }

    [Fact]
    public void AJournalThatCannotBeCreatedIsReportedAsUnavailable()
    {
        Directory.CreateDirectory(_root);
        var file = Path.Combine(_root, "a-file");
        File.WriteAllText(file, "");

        var error = Assert.Throws<InputException>(() => MigrationJournalLocation.Open(Path.Combine(file, "journal")));

        Assert.Equal(ErrorIds.JournalUnavailable, error.ErrorId);
        Assert.StartsWith("-JournalPath: The journal directory ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AMissingJournalIsReportedAsUnavailable()
    {
        var error = MigrationJournalLocation.Missing("/nowhere/journal");

        Assert.Equal(ErrorIds.JournalUnavailable, error.ErrorId);
        Assert.Equal("/nowhere/journal", error.Value);
        Assert.Contains("There is no journal directory /nowhere/journal", error.Message, StringComparison.Ordinal);
    }
}
