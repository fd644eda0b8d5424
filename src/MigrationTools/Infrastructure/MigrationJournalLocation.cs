using System;
using System.IO;
using MigrationTools.Engine.Journal;

namespace MigrationTools.Infrastructure;

/// <summary>
/// Where the migration cmdlets keep their journal: the directory -JournalPath names, or the engine's default
/// (<c>$env:MIGRATIONTOOLS_JOURNAL</c>, else <c>$XDG_DATA_HOME/migrationtools/journal</c>, else
/// <c>~/.local/share/migrationtools/journal</c>). Only the cmdlets that record a migration create it.
/// </summary>
internal static class MigrationJournalLocation
{
    /// <summary>The journal directory as a full path.</summary>
    /// <param name="path">-JournalPath resolved from PowerShell's current location, or <see langword="null"/> for the default.</param>
    /// <returns>The directory.</returns>
    public static string Resolve(string? path) =>
        Path.GetFullPath(string.IsNullOrEmpty(path) ? MigrationJournal.DefaultDirectory() : path!);

    /// <summary>Opens the journal in <paramref name="directory"/>, creating the directory (owner-only) if it is missing.</summary>
    /// <param name="directory">The full path.</param>
    /// <returns>The journal.</returns>
    /// <exception cref="InputException">The directory cannot be created (<see cref="ErrorIds.JournalUnavailable"/>).</exception>
    public static MigrationJournal Open(string directory)
    {
        try
        {
            return new MigrationJournal(directory);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            throw Unavailable(directory, $"The journal directory {directory} cannot be created: {error.Message}", error);
        }
    }

    /// <summary>The journal in <paramref name="directory"/> when the directory exists; nothing is created.</summary>
    /// <param name="directory">The full path.</param>
    /// <returns>The journal, or <see langword="null"/> when there is no such directory (so no migration is recorded there).</returns>
    public static MigrationJournal? OpenExisting(string directory) => Directory.Exists(directory) ? Open(directory) : null;

    /// <summary>Reads every record of the journal.</summary>
    /// <param name="journal">The journal.</param>
    /// <returns>The records, and an error for each file that cannot be read.</returns>
    /// <exception cref="InputException">The directory cannot be read (<see cref="ErrorIds.JournalUnavailable"/>).</exception>
    public static MigrationJournalListing List(MigrationJournal journal)
    {
        try
        {
            return (journal ?? throw new ArgumentNullException(nameof(journal))).List();
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            throw Unavailable(journal.Directory, $"The journal directory {journal.Directory} cannot be read: {error.Message}", error);
        }
    }

    /// <summary>The error for a journal directory that does not exist.</summary>
    /// <param name="directory">The full path.</param>
    /// <returns>The exception to report.</returns>
    public static InputException Missing(string directory) =>
        Unavailable(directory, $"There is no journal directory {directory}; give the directory that holds the migration records, or leave -JournalPath out for the default.", null);

    private static InputException Unavailable(string directory, string fault, Exception? cause) =>
        new(ErrorIds.JournalUnavailable, "JournalPath", directory, fault, cause);
}
