using System.CommandLine;
using MigrationTools.Cli.Output;

namespace MigrationTools.Cli;

/// <summary>One command being run: its parsed command line, where it writes, and the token Ctrl+C cancels.</summary>
/// <param name="Result">The parsed command line.</param>
/// <param name="Console">Where the command writes.</param>
/// <param name="Json">Whether <c>--json</c> was given: the result is written as one JSON document.</param>
/// <param name="CancellationToken">Cancelled by Ctrl+C or SIGTERM.</param>
internal sealed record CommandRun(ParseResult Result, CliConsole Console, bool Json, CancellationToken CancellationToken)
{
    /// <summary>Writes the command's result: <paramref name="view"/> as JSON with <c>--json</c>, else as <paramref name="human"/> writes it.</summary>
    /// <typeparam name="T">The view's type.</typeparam>
    /// <param name="view">The result.</param>
    /// <param name="human">Writes the result for people.</param>
    public void Emit<T>(T view, Action<TextWriter> human)
    {
        ArgumentNullException.ThrowIfNull(human);
        if (Json)
        {
            Console.Out.WriteLine(CliJson.Document(view));
        }
        else
        {
            human(Console.Out);
        }

        Console.Out.Flush();
    }

    /// <summary>Writes a warning on standard error (never on standard output, which holds the result).</summary>
    /// <param name="message">The warning.</param>
    public void Warn(string message)
    {
        Console.Error.WriteLine("warning: " + message);
        Console.Error.Flush();
    }
}
