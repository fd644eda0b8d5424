using System.CommandLine;
using MigrationTools.Engine.Journal;

namespace MigrationTools.Cli.Options;

/// <summary><c>--journal</c>: the directory of migration records on this machine.</summary>
internal sealed class JournalOption
{
    /// <summary>The option.</summary>
    public Option<string?> Directory { get; } = new("--journal")
    {
        Description = $"The directory of migration records on this machine; default ${MigrationJournal.DirectoryVariable}, else ~/.local/share/migrationtools/journal.",
        HelpName = "dir",
    };

    /// <summary>Adds the option to a command.</summary>
    /// <param name="command">The command.</param>
    public void AddTo(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        command.Add(Directory);
    }

    /// <summary>The journal's directory as the command line names it, or the default one.</summary>
    /// <param name="result">The parsed command line.</param>
    /// <returns>The full path.</returns>
    public string PathOf(ParseResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return Path.GetFullPath(result.GetValue(Directory) ?? MigrationJournal.DefaultDirectory());
    }

    /// <summary>Opens the journal only if its directory exists, for commands that only read it: a mistyped path creates nothing.</summary>
    /// <param name="result">The parsed command line.</param>
    /// <returns>The journal, or <see langword="null"/> when there is none there.</returns>
    public MigrationJournal? OpenExisting(ParseResult result)
    {
        var path = PathOf(result);
        return System.IO.Directory.Exists(path) ? new MigrationJournal(path) : null;
    }

    /// <summary>Opens the journal the command line names, or the default one, creating its directory if needed.</summary>
    /// <param name="result">The parsed command line.</param>
    /// <returns>The journal.</returns>
    public MigrationJournal Open(ParseResult result)
    {
        return new MigrationJournal(PathOf(result));
    }
}
