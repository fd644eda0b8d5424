using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using System.Globalization;

namespace MigrationTools.Cli;

/// <summary>
/// <c>--help</c> as System.CommandLine writes it, followed by the command's examples and the exit codes, which every
/// command shares and scripts depend on.
/// </summary>
internal sealed class CommandHelp : SynchronousCommandLineAction
{
    private readonly HelpAction _standard;
    private readonly Dictionary<Command, string[]> _examples = [];

    private CommandHelp(HelpAction standard) => _standard = standard;

    /// <summary>Puts examples and the exit codes into the help of <paramref name="root"/> and every command under it.</summary>
    /// <param name="root">The root command, with its standard help option.</param>
    /// <returns>The help, to which each command's examples are added.</returns>
    public static CommandHelp Install(RootCommand root)
    {
        ArgumentNullException.ThrowIfNull(root);
        var option = root.Options.OfType<HelpOption>().Single();
        var help = new CommandHelp((HelpAction)option.Action!);
        option.Action = help;
        return help;
    }

    /// <summary>Adds a command's examples: each a command line, optionally followed by "  # what it does".</summary>
    /// <param name="command">The command.</param>
    /// <param name="examples">The examples.</param>
    /// <returns>The command.</returns>
    public Command Examples(Command command, params string[] examples)
    {
        _examples[command] = examples;
        return command;
    }

    /// <summary>The examples given for a command.</summary>
    /// <param name="command">The command.</param>
    /// <returns>The examples; empty when none.</returns>
    public IReadOnlyList<string> ExamplesOf(Command command) => _examples.TryGetValue(command, out var examples) ? examples : [];

    /// <inheritdoc/>
    public override int Invoke(ParseResult parseResult)
    {
        ArgumentNullException.ThrowIfNull(parseResult);
        var result = _standard.Invoke(parseResult);
        var output = parseResult.InvocationConfiguration.Output;
        var command = parseResult.CommandResult.Command;
        if (_examples.TryGetValue(command, out var examples) && examples.Length > 0)
        {
            output.WriteLine("Examples:");
            foreach (var example in examples)
            {
                output.WriteLine("  " + example);
            }

            output.WriteLine();
        }

        output.WriteLine("Exit codes:");
        foreach (var (code, meaning) in ExitCodes.Documented)
        {
            output.WriteLine($"  {code.ToString(CultureInfo.InvariantCulture),3}  {meaning}");
        }

        output.WriteLine();
        return result;
    }
}
