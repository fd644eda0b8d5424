using System.CommandLine;
using System.CommandLine.Invocation;
using System.CommandLine.Parsing;
using MigrationTools.Cli.Commands;
using MigrationTools.Cli.Demo;
using MigrationTools.Cli.Options;
using MigrationTools.Cli.Output;

namespace MigrationTools.Cli;

/// <summary>
/// The <c>migrationtools</c> command line: the command tree, the options the commands share, parse errors as usage
/// errors (exit code 2), and every failure turned into its exit code with its message on standard error (and, with
/// <c>--json</c>, a failure document on standard output).
/// </summary>
internal sealed class CliApplication
{
    /// <summary>Creates the command line.</summary>
    /// <param name="console">Where commands write.</param>
    public CliApplication(CliConsole console)
    {
        Console = console ?? throw new ArgumentNullException(nameof(console));
        Root = new RootCommand(
            "Moves a running Linux workload (its process tree, live with CRIU, and its ZFS datasets) from one host to another over SSH. " +
            "The same engine and verbs as the MigrationTools PowerShell module, for shells without PowerShell.");
        Help = CommandHelp.Install(Root);
        Root.Add(Json);
        Root.Add(WorkloadCommands.Build(this));
        Root.Add(MigrationCommands.Build(this));
        Root.Add(MigrationCommands.BuildMove(this));
        Root.Add(DrainCommand.Build(this));
        Root.Add(HostCommands.Build(this));
        Root.Add(DemoCommand.Build(this));
        Help.Examples(
            Root,
            "migrationtools demo                                  # a live migration on a local lab (Linux, root)",
            "migrationtools workload list h1 h2",
            "migrationtools move web --from h1 --to h2 --complete",
            "migrationtools drain h1 --to h2,h3 --parallel 3 --complete",
            "migrationtools migration list --json | jq '.[] | select(.state == \"switched\")'",
            "migrationtools move --help                           # every command has its own help and examples");
    }

    /// <summary>Where commands write.</summary>
    public CliConsole Console { get; }

    /// <summary>The root command.</summary>
    public RootCommand Root { get; }

    /// <summary>Every command's help, with examples.</summary>
    public CommandHelp Help { get; }

    /// <summary><c>--json</c>, on every command.</summary>
    public Option<bool> Json { get; } = new("--json")
    {
        Description = "Write the result as one JSON document on standard output (a failure too, as {\"error\": ...}); messages stay on standard error.",
        Recursive = true,
    };

    /// <summary>The connection options of every command that reaches hosts.</summary>
    public ConnectionOptions Connection { get; } = new();

    /// <summary>The host paths of every command that reaches hosts.</summary>
    public PathOptions Paths { get; } = new();

    /// <summary>The journal option of the migration commands.</summary>
    public JournalOption Journal { get; } = new();

    /// <summary>The data and cutover options of the commands that start a migration.</summary>
    public MigrationSettingsOptions Settings { get; } = new();

    /// <summary><c>--progress</c>, on the commands that move data.</summary>
    public ChoiceOption<ProgressMode> Progress { get; } = new(
        "--progress",
        "How to show progress on standard error: auto (live on a terminal, plain lines otherwise), live, plain, json (NDJSON lines) or none.",
        [("auto", ProgressMode.Auto), ("live", ProgressMode.Live), ("plain", ProgressMode.Plain), ("json", ProgressMode.Json), ("none", ProgressMode.None)],
        "auto");

    /// <summary>Makes <paramref name="body"/> the action of <paramref name="command"/>.</summary>
    /// <param name="command">The command.</param>
    /// <param name="body">What it does; returns the exit code, or throws (see <see cref="CommandFailure"/>).</param>
    public void SetAction(Command command, Func<CommandRun, Task<int>> body)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(body);
        command.SetAction((result, token) => body(new CommandRun(result, Console, result.GetValue(Json), token)));
    }

    /// <summary>Parses and runs a command line.</summary>
    /// <param name="args">The arguments.</param>
    /// <param name="cancellationToken">Cancelled by Ctrl+C or SIGTERM.</param>
    /// <returns>The exit code.</returns>
    public async Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        var result = Root.Parse(args);
        if (result.Action is ParseErrorAction)
        {
            return ReportUsageError(result, args);
        }

        var configuration = new InvocationConfiguration
        {
            Output = Console.Out,
            Error = Console.Error,
            // Failures become exit codes here, and Ctrl+C is handled by Program: the engine rolls a switch back, which
            // takes longer than the two seconds System.CommandLine would wait before ending the process.
            EnableDefaultExceptionHandler = false,
            ProcessTerminationTimeout = null,
        };
        try
        {
            return await result.InvokeAsync(configuration, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return ReportFailure(CommandFailure.From(e), result.GetValue(Json));
        }
    }

    /// <summary>Reports a failure on standard error and, with <c>--json</c>, as a document on standard output.</summary>
    /// <param name="failure">The failure.</param>
    /// <param name="json">Whether <c>--json</c> was given.</param>
    /// <returns>The failure's exit code.</returns>
    public int ReportFailure(CommandFailure failure, bool json)
    {
        ArgumentNullException.ThrowIfNull(failure);
        if (json)
        {
            Console.Out.WriteLine(CliJson.Document(FailureView.Of(failure)));
            Console.Out.Flush();
        }

        // The first line says what failed; the engine's further lines (each failed check, say) follow indented.
        var lines = failure.Message.Split('\n');
        Console.Error.WriteLine("error: " + lines[0].TrimEnd('\r'));
        foreach (var line in lines.Skip(1))
        {
            Console.Error.WriteLine("  " + line.TrimEnd('\r'));
        }

        if (failure.Record is { } record)
        {
            var view = MigrationView.Of(record);
            var runsOn = view.Owner == "destination" ? view.Destination : view.Source;
            Console.Error.WriteLine(failure.ExitCode == ExitCodes.RolledBack
                ? $"Migration {view.Id} is {view.State}: {view.Workload} runs on {runsOn} as before."
                : $"Migration {view.Id} is {view.State} and needs attention; its record says what happened: migrationtools migration show {view.Id}");
            if (HumanText.NextStep(view) is { } next)
            {
                Console.Error.WriteLine("Next: " + next);
            }
        }

        Console.Error.Flush();
        return failure.ExitCode;
    }

    private int ReportUsageError(ParseResult result, IReadOnlyList<string> args)
    {
        var names = new List<string>();
        for (SymbolResult? at = result.CommandResult; at is CommandResult command; at = command.Parent)
        {
            names.Insert(0, command.Command.Name);
        }

        names[0] = "migrationtools";
        var message = string.Join(Environment.NewLine, result.Errors.Select(e => e.Message).Distinct());
        var json = args.Contains("--json", StringComparer.Ordinal);
        ReportFailure(new CommandFailure(ExitCodes.Usage, "usage", message), json);
        Console.Error.WriteLine($"Run '{string.Join(' ', names)} --help' for usage and examples.");
        Console.Error.Flush();
        return ExitCodes.Usage;
    }
}
