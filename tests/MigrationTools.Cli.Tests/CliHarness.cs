namespace MigrationTools.Cli.Tests;

/// <summary>What one run of the command line wrote and returned.</summary>
internal sealed record CliOutcome(int ExitCode, string Out, string Error);

/// <summary>Runs the command line in this process with its output captured; no host is reached by the tests that use it.</summary>
internal static class CliHarness
{
    public static async Task<CliOutcome> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var app = new CliApplication(new CliConsole(output, error, ErrorIsTerminal: false, Width: 100));
        var code = await app.RunAsync(args);
        return new CliOutcome(code, output.ToString(), error.ToString());
    }
}
