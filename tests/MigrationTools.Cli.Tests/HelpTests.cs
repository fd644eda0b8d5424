using System.CommandLine;

namespace MigrationTools.Cli.Tests;

/// <summary>Every command's --help: its usage, at least one example, and the exit codes scripts depend on.</summary>
public sealed class HelpTests
{
    public static TheoryData<string> Commands() => [.. CommandPaths()];

    private static List<string> CommandPaths()
    {
        var app = new CliApplication(new CliConsole(TextWriter.Null, TextWriter.Null, false, 80));
        var paths = new List<string>();
        void Walk(Command command, string path)
        {
            paths.Add(path);
            foreach (var sub in command.Subcommands)
            {
                Walk(sub, (path + " " + sub.Name).Trim());
            }
        }

        Walk(app.Root, "");
        return paths;
    }

    [Theory]
    [MemberData(nameof(Commands))]
    public async Task EveryCommandsHelpHasExamplesAndTheExitCodes(string path)
    {
        var args = path.Split(' ', StringSplitOptions.RemoveEmptyEntries).Append("--help").ToArray();

        var outcome = await CliHarness.RunAsync(args);

        Assert.Equal(ExitCodes.Success, outcome.ExitCode);
        Assert.Contains("Usage:", outcome.Out, StringComparison.Ordinal);
        Assert.Contains("Exit codes:", outcome.Out, StringComparison.Ordinal);
        foreach (var (code, meaning) in ExitCodes.Documented)
        {
            Assert.Contains($"{code,3}  {meaning}", outcome.Out, StringComparison.Ordinal);
        }

        var examples = outcome.Out[outcome.Out.IndexOf("Examples:", StringComparison.Ordinal)..];
        Assert.Contains("migrationtools " + path, examples, StringComparison.Ordinal);
    }

    [Fact]
    public void EveryCommandInTheTreeIsListedAsTheIssueAsksForIt()
    {
        var names = CommandPaths().ToHashSet();

        Assert.Superset(
            new HashSet<string>
            {
                "workload list", "workload register", "workload unregister", "workload start", "workload stop",
                "migration test", "migration start", "migration sync", "migration switch", "migration complete", "migration undo",
                "migration abort", "migration list", "migration show", "move", "demo",
            },
            names);
    }
}
