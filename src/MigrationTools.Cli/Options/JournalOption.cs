using System.CommandLine;
using MigrationTools.Engine.Migrations;

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

    /// <summary>Opens the journal the command line names, or the default one.</summary>
    /// <param name="result">The parsed command line.</param>
    /// <returns>The journal.</returns>
    public MigrationJournal Open(ParseResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return new MigrationJournal(result.GetValue(Directory) ?? MigrationJournal.DefaultDirectory());
    }
}
