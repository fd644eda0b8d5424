namespace MigrationTools.Cli;

/// <summary>
/// Where a command writes: results on <see cref="Out"/>, progress, notes and errors on <see cref="Error"/>, so that
/// standard output holds only the result (one JSON document with <c>--json</c>). Tests give their own writers.
/// </summary>
/// <param name="Out">Standard output: the command's result.</param>
/// <param name="Error">Standard error: progress, notes, warnings and errors.</param>
/// <param name="ErrorIsTerminal">Whether standard error is a terminal, where progress redraws one line.</param>
/// <param name="Width">The terminal's width in columns, for the live progress line.</param>
public sealed record CliConsole(TextWriter Out, TextWriter Error, bool ErrorIsTerminal, int Width)
{
    /// <summary>The process's own standard output and error.</summary>
    /// <returns>The console.</returns>
    public static CliConsole FromSystem()
    {
        var terminal = !Console.IsErrorRedirected;
        var width = 100;
        if (terminal)
        {
            try
            {
                width = Console.WindowWidth > 20 ? Console.WindowWidth : width;
            }
            catch (IOException)
            {
                // No size to read (a pseudo-terminal without one): keep the default.
            }
        }

        return new CliConsole(Console.Out, Console.Error, terminal, width);
    }
}
