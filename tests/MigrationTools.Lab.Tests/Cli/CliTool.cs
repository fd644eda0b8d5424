using System.Diagnostics;
using System.Reflection;
using System.Text.Json;
using MigrationTools.Lab.Tests.Lab;

namespace MigrationTools.Lab.Tests.Cli;

/// <summary>What one run of the built tool wrote and how it ended.</summary>
internal sealed record CliRun(string CommandLine, int ExitCode, string Out, string Error)
{
    /// <summary>Standard output as the one JSON document --json writes.</summary>
    public JsonElement Json
    {
        get
        {
            try
            {
                return JsonDocument.Parse(Out).RootElement.Clone();
            }
            catch (JsonException e)
            {
                throw new InvalidOperationException($"{this} did not write one JSON document on standard output.", e);
            }
        }
    }

    /// <summary>Standard error's lines as NDJSON progress events (--progress json), skipping the plain error lines.</summary>
    public IReadOnlyList<JsonElement> ProgressEvents =>
        [.. Error.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.StartsWith('{')).Select(l => JsonDocument.Parse(l).RootElement.Clone())];

    /// <summary>Throws with everything the tool wrote unless it exited with <paramref name="expected"/>.</summary>
    public CliRun Expect(int expected) =>
        ExitCode == expected ? this : throw new InvalidOperationException($"expected exit code {expected}; {this}");

    public override string ToString() => $"'{CommandLine}' exited {ExitCode}.\nstdout: {Out}\nstderr: {Error}";
}

/// <summary>
/// The migrationtools tool as its build left it (src/MigrationTools.Cli/bin/...), run through <c>dotnet</c> as a separate
/// process: the tests see exactly what a shell sees, exit codes included.
/// </summary>
internal static class CliTool
{
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(5);

    /// <summary>The tool's built assembly.</summary>
    public static string Assembly { get; } =
        typeof(CliTool).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "MigrationToolsCli").Value!;

    /// <summary>The dotnet host that runs the tests (dotnet test names it), else dotnet on PATH.</summary>
    public static string Dotnet { get; } = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";

    public static async Task<CliRun> RunAsync(IEnumerable<string> arguments, TimeSpan? timeout = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        if (!File.Exists(Assembly))
        {
            throw new InvalidOperationException($"The tool is not built at {Assembly}; build MigrationTools.sln first.");
        }

        var args = arguments.ToArray();
        var result = await Shell.RunAsync(Dotnet, args.Prepend(Assembly), timeout ?? DefaultTimeout, environment);
        return new CliRun("migrationtools " + string.Join(' ', args), result.ExitCode, result.Text, result.StandardError);
    }

    public static Task<CliRun> RunAsync(params string[] arguments) => RunAsync(arguments, null, null);

    /// <summary>Starts the tool with standard error read line by line, for a test that acts while it runs (sends it SIGINT).</summary>
    public static Process Start(IEnumerable<string> arguments, Action<string> onErrorLine)
    {
        var start = new ProcessStartInfo(Dotnet)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(Assembly);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var process = new Process { StartInfo = start };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                onErrorLine(e.Data);
            }
        };
        process.Start();
        process.StandardInput.Close();
        process.BeginErrorReadLine();
        return process;
    }
}
