using System.CommandLine;
using MigrationTools.Engine.Workloads;

namespace MigrationTools.Cli.Options;

/// <summary>
/// Where the hosts keep workload manifests and runtime files: <c>--manifest-dir</c> and <c>--runtime-dir</c>, both
/// paths on the hosts. The defaults suit real hosts; tests give directories of their own.
/// </summary>
internal sealed class PathOptions
{
    /// <summary>The manifest directory on the hosts.</summary>
    public Option<string> ManifestDirectory { get; } = new("--manifest-dir")
    {
        Description = "Where the hosts keep workload manifests (a path on the hosts).",
        HelpName = "dir",
        DefaultValueFactory = _ => WorkloadPaths.DefaultManifestDirectory,
    };

    /// <summary>The runtime directory on the hosts.</summary>
    public Option<string> RuntimeDirectory { get; } = new("--runtime-dir")
    {
        Description = "Where the hosts keep running workloads' PID files and output logs (a path on the hosts).",
        HelpName = "dir",
        DefaultValueFactory = _ => WorkloadPaths.DefaultRuntimeDirectory,
    };

    /// <summary>Adds the options to a command.</summary>
    /// <param name="command">The command.</param>
    public void AddTo(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        command.Add(ManifestDirectory);
        command.Add(RuntimeDirectory);
    }

    /// <summary>The engine's paths from the command line, checked by the engine's rule.</summary>
    /// <param name="result">The parsed command line.</param>
    /// <returns>The paths.</returns>
    /// <exception cref="UsageException">A directory breaks the rule; the message names the option.</exception>
    public WorkloadPaths Read(ParseResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var manifests = result.GetValue(ManifestDirectory);
        var runtime = result.GetValue(RuntimeDirectory);
        return WorkloadPathsValidator.Check(manifests, runtime) is { } fault
            ? throw WorkloadFieldOptions.Usage(fault)
            : new WorkloadPaths(manifests!, runtime!);
    }
}
