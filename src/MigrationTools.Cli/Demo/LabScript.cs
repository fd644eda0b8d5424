using System.Diagnostics;
using System.Runtime.Versioning;
using System.Text.Json;

namespace MigrationTools.Cli.Demo;

/// <summary>The lab as <c>lab.sh status --json</c> describes it.</summary>
/// <param name="State">up, partial or down.</param>
/// <param name="StateDirectory">The lab's state directory (MT_LAB_STATE).</param>
/// <param name="SshConfig">The ssh_config that names the hosts.</param>
/// <param name="Pool">The ZFS pool every host has.</param>
/// <param name="Hosts">The hosts' names, h1 first.</param>
internal sealed record LabStatus(string State, string StateDirectory, string SshConfig, string Pool, IReadOnlyList<string> Hosts)
{
    /// <summary>Reads the status document.</summary>
    /// <param name="json">What <c>lab.sh status --json</c> printed.</param>
    /// <returns>The status.</returns>
    /// <exception cref="JsonException">The text is not such a document.</exception>
    public static LabStatus Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        string Text(string name) => root.GetProperty(name).GetString() ?? throw new JsonException($"The lab status has no {name}.");
        return new LabStatus(
            Text("state"),
            Text("stateDirectory"),
            Text("sshConfig"),
            Text("pool"),
            [.. root.GetProperty("hosts").EnumerateArray().Select(h => h.GetProperty("name").GetString()!)]);
    }
}

/// <summary>What a run of the lab script printed, and how it ended.</summary>
/// <param name="ExitCode">Its exit code.</param>
/// <param name="Output">Its standard output.</param>
/// <param name="Errors">Its standard error (its progress messages and errors), line by line.</param>
internal sealed record LabRun(int ExitCode, string Output, IReadOnlyList<string> Errors);

/// <summary>
/// The lab script (<c>tests/lab/lab.sh</c>): where it is, and running it. The script reads the MT_LAB_* environment
/// variables (state directory, first address, number of hosts), so a lab of one's own is a matter of setting them.
/// </summary>
internal sealed class LabScript
{
    /// <summary>The script's exit code for a missing prerequisite (not root, not Linux, a tool absent).</summary>
    public const int PrerequisiteMissing = 3;

    private LabScript(string path) => Path = path;

    /// <summary>The script.</summary>
    public string Path { get; }

    /// <summary>The sample service the demo moves, beside the script: <c>workloads/counter.py</c>.</summary>
    public string CounterService => System.IO.Path.Combine(System.IO.Path.GetDirectoryName(Path)!, "workloads", "counter.py");

    /// <summary>The client probe beside the counter service (tests/lab/workloads/probe.py).</summary>
    public string ClientProbe => System.IO.Path.Combine(System.IO.Path.GetDirectoryName(Path)!, "workloads", "probe.py");

    /// <summary>
    /// Finds the lab script: the one given; else the checkout's <c>tests/lab/lab.sh</c> when the tool runs from a build
    /// inside a checkout (a directory above it holds MigrationTools.sln); else the copy shipped beside the tool in
    /// <c>lab/lab.sh</c>.
    /// </summary>
    /// <param name="given">The path given with <c>--lab-script</c>, or <see langword="null"/>.</param>
    /// <param name="toolDirectory">The directory the tool runs from.</param>
    /// <returns>The script.</returns>
    /// <exception cref="UsageException">The given path is not a file.</exception>
    /// <exception cref="CommandRefusedException">No script was found.</exception>
    public static LabScript Find(string? given, string toolDirectory)
    {
        if (given is not null)
        {
            var full = System.IO.Path.GetFullPath(given);
            return File.Exists(full)
                ? new LabScript(full)
                : throw new UsageException($"--lab-script: there is no file {given}; give the path of tests/lab/lab.sh, or leave the option out.");
        }

        for (var directory = new DirectoryInfo(toolDirectory); directory is not null; directory = directory.Parent)
        {
            var script = System.IO.Path.Combine(directory.FullName, "tests", "lab", "lab.sh");
            if (File.Exists(System.IO.Path.Combine(directory.FullName, "MigrationTools.sln")) && File.Exists(script))
            {
                return new LabScript(script);
            }
        }

        var shipped = System.IO.Path.Combine(toolDirectory, "lab", "lab.sh");
        return File.Exists(shipped)
            ? new LabScript(shipped)
            : throw new CommandRefusedException(
                $"The lab script is neither in a checkout above {toolDirectory} nor shipped beside the tool ({shipped}); " +
                "give it with --lab-script path/to/tests/lab/lab.sh.");
    }

    /// <summary>
    /// Runs the script with <paramref name="arguments"/>, passing each line it writes on standard error to
    /// <paramref name="onErrorLine"/> as it comes. Cancelling ends the script's own process (the hosts it started are
    /// recorded in the lab's state, where <c>down</c> finds them).
    /// </summary>
    /// <param name="arguments">The script's arguments, such as <c>up</c>.</param>
    /// <param name="onErrorLine">Receives each standard error line; may be <see langword="null"/>.</param>
    /// <param name="cancellationToken">Ends the script.</param>
    /// <returns>How it ended.</returns>
    [SupportedOSPlatform("linux")]
    public async Task<LabRun> RunAsync(IEnumerable<string> arguments, Action<string>? onErrorLine, CancellationToken cancellationToken)
    {
        EnsureExecutable();
        var start = new ProcessStartInfo(Path)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{Path} did not start.");
        process.StandardInput.Close();
        var errors = new List<string>();
        var readErrors = Task.Run(async () =>
        {
            while (await process.StandardError.ReadLineAsync(CancellationToken.None).ConfigureAwait(false) is { } line)
            {
                lock (errors)
                {
                    errors.Add(line);
                }

                onErrorLine?.Invoke(line);
            }
        }, CancellationToken.None);
        var output = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        try
        {
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: false);
            throw;
        }

        await readErrors.ConfigureAwait(false);
        return new LabRun(process.ExitCode, await output.ConfigureAwait(false), errors);
    }

    /// <summary>The lab's status.</summary>
    /// <param name="cancellationToken">Stops asking.</param>
    /// <returns>The status; <c>State</c> is "up" only when every host answers.</returns>
    [SupportedOSPlatform("linux")]
    public async Task<LabStatus> StatusAsync(CancellationToken cancellationToken)
    {
        var run = await RunAsync(["status", "--json"], null, cancellationToken).ConfigureAwait(false);
        try
        {
            return LabStatus.Parse(run.Output);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new InvalidOperationException(
                $"{Path} status --json exited {run.ExitCode} without a status document: {string.Join(" ", run.Errors.TakeLast(5))}", e);
        }
    }

    // A copy unpacked from a tool package may have lost its mode; the lab script starts its hosts by running itself.
    [SupportedOSPlatform("linux")]
    private void EnsureExecutable()
    {
        var mode = File.GetUnixFileMode(Path);
        if (!mode.HasFlag(UnixFileMode.UserExecute))
        {
            File.SetUnixFileMode(Path, mode | UnixFileMode.UserExecute);
        }
    }
}
