using MigrationTools.Engine.Journal;
using MigrationTools.Engine.Tests.Remote;

namespace MigrationTools.Engine.Tests.Migrations;

/// <summary>Where the journal lives by default. Changes process environment variables, so the tests run one at a time.</summary>
[Collection(nameof(MigrationJournalDirectoryTests))]
public class MigrationJournalDirectoryTests
{
    [Fact]
    public void TheEnvironmentVariableWins() => WithEnvironment("/srv/journal", "/data", () =>
        Assert.Equal("/srv/journal", MigrationJournal.DefaultDirectory()));

    [LinuxFact]
    public void XdgDataHomeComesNext()
    {
        WithEnvironment(null, "/data", () =>
            Assert.Equal("/data/migrationtools/journal", MigrationJournal.DefaultDirectory()));
    }

    [LinuxFact]
    public void ARelativeXdgDataHomeIsIgnored()
    {
        WithEnvironment(null, "relative", () => Assert.Equal(
            Path.Combine(Environment.GetEnvironmentVariable("HOME")!, ".local/share/migrationtools/journal"),
            MigrationJournal.DefaultDirectory()));
    }

    private static void WithEnvironment(string? journal, string? xdg, Action test)
    {
        var (oldJournal, oldXdg) = (Environment.GetEnvironmentVariable(MigrationJournal.DirectoryVariable), Environment.GetEnvironmentVariable("XDG_DATA_HOME"));
        try
        {
            Environment.SetEnvironmentVariable(MigrationJournal.DirectoryVariable, journal);
            Environment.SetEnvironmentVariable("XDG_DATA_HOME", xdg);
            test();
        }
        finally
        {
            Environment.SetEnvironmentVariable(MigrationJournal.DirectoryVariable, oldJournal);
            Environment.SetEnvironmentVariable("XDG_DATA_HOME", oldXdg);
        }
    }
}
