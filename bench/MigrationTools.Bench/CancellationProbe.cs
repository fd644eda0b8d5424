using System.Diagnostics;
using System.Globalization;
using CliWrap;
using MigrationTools.Engine.Remote;

namespace MigrationTools.Bench;

/// <summary>What cancelling one running command did.</summary>
/// <param name="Runner">Which runner started it.</param>
/// <param name="Command">What ran.</param>
/// <param name="ReturnSeconds">From the token's cancellation to the runner's task ending; null when it ended by itself first.</param>
/// <param name="LocalEnded">Whether the local process (ssh, or the local tree) was gone when the task ended.</param>
/// <param name="Remote">What became of the command on the host, or of the local tree's descendants.</param>
internal sealed record CancelSample(string Runner, string Command, double? ReturnSeconds, bool LocalEnded, string Remote);

/// <summary>
/// A long <c>sleep</c> started by each runner and cancelled by its token: locally as a process tree, over plain ssh,
/// and over ssh with the engine's remote wrapper (the command line the engine runs, recorded and replayed through
/// CliWrap). Every sleep carries a unique duration, which is how it is found on the host and, when it outlived the
/// cancellation, ended by its process id.
/// </summary>
internal sealed class CancellationProbe(string sshConfig, string host, string workDirectory)
{
    private static readonly TimeSpan RemoteWait = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan SelfEndWait = TimeSpan.FromSeconds(6);

    /// <summary>Records each ssh invocation's argv under its process id (the script execs ssh, so $$ is ssh's pid).</summary>
    private const string RecordingSsh = "#!/bin/sh\nprintf '%s\\0' \"$@\" > \"$MTB_ARGV_DIR/argv-$$\"\nexec ssh \"$@\"\n";

    private string ArgvDirectory => Path.Combine(workDirectory, "argv");

    public async Task<List<CancelSample>> RunAsync()
    {
        Directory.CreateDirectory(ArgvDirectory);
        var recorder = Path.Combine(workDirectory, "ssh-record");
        await File.WriteAllTextAsync(recorder, RecordingSsh);
        File.SetUnixFileMode(recorder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        Environment.SetEnvironmentVariable("MTB_ARGV_DIR", ArgvDirectory);

        var samples = new List<CancelSample>();
        samples.Add(await LocalTreeAsync("engine", (argv, token) =>
        {
            var process = LocalProcess.Start(new LocalCommand(argv[0], argv[1..]), token);
            return (process.WaitForExitAsync(CancellationToken.None), process.Id, process);
        }));
        samples.Add(await LocalTreeAsync("CliWrap", (argv, token) =>
        {
            var task = Cli.Wrap(argv[0]).WithArguments(argv[1..]).ExecuteAsync(token);
            return (task.Task, task.ProcessId, null);
        }));
        samples.Add(await NetStandardCliWrapAsync());

        samples.Add(await RemoteAsync("engine", "ssh h sleep", marker =>
        {
            var cancel = new CancellationTokenSource();
            var process = LocalProcess.Start(new LocalCommand("ssh", ["-F", sshConfig, host, "sleep " + marker]), cancel.Token);
            return Task.FromResult(new Started(process.WaitForExitAsync(CancellationToken.None), process.Id, cancel, process));
        }));
        samples.Add(await RemoteAsync("CliWrap", "ssh h sleep", marker =>
        {
            var cancel = new CancellationTokenSource();
            var task = Cli.Wrap("ssh").WithArguments(["-F", sshConfig, host, "sleep " + marker]).ExecuteAsync(cancel.Token);
            return Task.FromResult(new Started(task.Task, task.ProcessId, cancel, null));
        }));

        // The engine's own path: RemoteWrapper around the command, over the connection's shared master.
        using var connection = new SshConnection(
            SshDestination.Parse(host), new SshOptions { ConfigFile = sshConfig, ControlDirectory = Path.Combine(workDirectory, "c"), SshPath = recorder });
        await connection.OpenAsync();
        string[]? engineArgv = null;
        string? engineMarker = null;
        samples.Add(await RemoteAsync("engine", "wrapped sleep", async marker =>
        {
            var cancel = new CancellationTokenSource();
            var source = await connection.StartSourceAsync(RemoteCommand.Create("sleep", marker), cancel.Token);
            var (pid, argv) = Recorded(marker);
            (engineArgv, engineMarker) = (argv, marker);
            return new Started(source.CompleteAsync(CancellationToken.None), pid, cancel, source);
        }));

        // The same ssh command line through CliWrap: first with CliWrap's default standard input (end-of-file at
        // once), then with standard input held open until the command ends, as the engine's runner keeps it.
        string[] Replay(string marker) =>
            [.. engineArgv!.Select(word => word.Replace(engineMarker!, marker, StringComparison.Ordinal))];
        samples.Add(await RemoteAsync("CliWrap", "wrapped sleep, stdin default", marker =>
        {
            var cancel = new CancellationTokenSource();
            var argv = Replay(marker);
            var task = Cli.Wrap(argv[0]).WithArguments(argv[1..]).WithValidation(CommandResultValidation.None).ExecuteAsync(cancel.Token);
            return Task.FromResult(new Started(task.Task, task.ProcessId, cancel, null));
        }));
        samples.Add(await RemoteAsync("CliWrap", "wrapped sleep, stdin held open", marker =>
        {
            var cancel = new CancellationTokenSource();
            var argv = Replay(marker);
            var task = Cli.Wrap(argv[0]).WithArguments(argv[1..])
                .WithStandardInputPipe(PipeSource.Create((_, token) => Task.Delay(Timeout.Infinite, token)))
                .ExecuteAsync(cancel.Token);
            return Task.FromResult(new Started(task.Task, task.ProcessId, cancel, null));
        }));

        ArgumentFidelity = await ArgumentFidelityAsync(engineArgv!);
        await connection.CloseAsync();
        return samples;
    }

    /// <summary>Whether CliWrap hands the engine's ssh argv (the quoted wrapper script) to a program word for word.</summary>
    public string ArgumentFidelity { get; private set; } = "not measured";

    private sealed record Started(Task Completion, int ProcessId, CancellationTokenSource Cancel, IDisposable? Owner);

    private static async Task<string> ArgumentFidelityAsync(string[] argv)
    {
        var output = new MemoryStream();
        await (Cli.Wrap("printf").WithArguments(["%s\\0", .. argv]) | output).ExecuteAsync();
        var words = System.Text.Encoding.UTF8.GetString(output.ToArray()).TrimEnd('\0').Split('\0');
        return words.SequenceEqual(argv)
            ? $"identical ({argv.Length} words, {argv.Sum(w => w.Length)} characters)"
            : $"DIFFERENT: {words.Length} words came out of {argv.Length}";
    }

    private (int Pid, string[] Argv) Recorded(string marker)
    {
        foreach (var file in Directory.GetFiles(ArgvDirectory, "argv-*"))
        {
            var argv = File.ReadAllText(file).TrimEnd('\0').Split('\0');
            if (argv[^1].Contains(marker, StringComparison.Ordinal))
            {
                return (int.Parse(Path.GetFileName(file)["argv-".Length..], CultureInfo.InvariantCulture), ["ssh", .. argv]);
            }
        }

        throw new InvalidOperationException($"No recorded ssh command runs sleep {marker}.");
    }

    /// <summary>
    /// The same local tree through CliWrap's netstandard2.0 build (the one a netstandard2.0 engine ships), run by
    /// bench/CliWrapOnNetStandard, which prints its framework, the milliseconds to return and the sleeps left.
    /// </summary>
    private static async Task<CancelSample> NetStandardCliWrapAsync()
    {
        const string Runner = "CliWrap netstandard2.0 build";
        var probe = FindNetStandardProbe();
        if (probe is null)
        {
            return new CancelSample(Runner, "bash -c 'sleep & sleep'", null, false, "not measured: build bench/CliWrapOnNetStandard first");
        }

        var fields = (await Processes.RunAsync("dotnet", [probe])).Trim().Split(' ');
        var left = int.Parse(fields[^1], CultureInfo.InvariantCulture);
        return new CancelSample(
            $"{Runner} ({fields[0]})",
            "bash -c 'sleep & sleep'",
            double.Parse(fields[^2], CultureInfo.InvariantCulture) / 1000,
            true,
            left == 0 ? "both children ended" : $"{left} children LEFT running (then killed by pid)");
    }

    private static string? FindNetStandardProbe()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            foreach (var configuration in new[] { "Release", "Debug" })
            {
                var probe = Path.Combine(directory.FullName, "bench", "CliWrapOnNetStandard", "bin", configuration, "net10.0", "CliWrapOnNetStandard.dll");
                if (File.Exists(probe))
                {
                    return probe;
                }
            }
        }

        return null;
    }

    private static async Task<CancelSample> LocalTreeAsync(string runner, Func<string[], CancellationToken, (Task Completion, int Pid, IDisposable? Owner)> start)
    {
        var marker = Marker();
        using var cancel = new CancellationTokenSource();
        var (completion, pid, owner) = start(["bash", "-c", $"sleep {marker} & sleep {marker}; wait"], cancel.Token);
        using (owner)
        {
            await WaitUntilAsync(async () => await LocalCountAsync(marker) == 2, TimeSpan.FromSeconds(10));
            var (seconds, _) = await CancelAsync(cancel, completion);
            var localEnded = !IsRunning(pid);
            var left = await LocalCountAsync(marker);
            await KillLocalAsync(marker);
            return new CancelSample(runner, "bash -c 'sleep & sleep'", seconds, localEnded, left == 0 ? "both children ended" : $"{left} children LEFT running");
        }
    }

    private async Task<CancelSample> RemoteAsync(string runner, string command, Func<string, Task<Started>> start)
    {
        var marker = Marker();
        var started = await start(marker);
        using (started.Owner)
        using (started.Cancel)
        {
            var running = await WaitUntilAsync(async () => await RemoteCountAsync(marker, exact: true) > 0, TimeSpan.FromSeconds(10));
            if (!running)
            {
                throw new InvalidOperationException($"{runner}: sleep {marker} never showed up on {host}.");
            }

            var selfEnd = Stopwatch.StartNew();
            double? returned;
            if (await Task.WhenAny(started.Completion, Task.Delay(SelfEndWait)) == started.Completion)
            {
                // The remote command ended without being cancelled: report it and how soon.
                var status = await Describe(started.Completion);
                var remoteLeft = await RemoteCountAsync(marker);
                await RemoteShellAsync($"pgrep -f 'slee[p] {marker}' | xargs -r kill -9");
                return new CancelSample(runner, command, null, !IsRunning(started.ProcessId),
                    $"ENDED BY ITSELF {selfEnd.Elapsed.TotalSeconds:0.0} s after it was seen running ({status}); {remoteLeft} process(es) naming it then");
            }

            (returned, _) = await CancelAsync(started.Cancel, started.Completion);
            var localEnded = !IsRunning(started.ProcessId);
            var clock = Stopwatch.StartNew();
            var gone = await WaitUntilAsync(async () => await RemoteCountAsync(marker, exact: true) == 0, RemoteWait);
            var sleepEnded = clock.Elapsed.TotalSeconds + returned;
            var wrapperGone = await WaitUntilAsync(async () => await RemoteCountAsync(marker) == 0, RemoteWait - clock.Elapsed);
            var remote = !gone
                ? $"STILL RUNNING {RemoteWait.TotalSeconds:0} s after (then killed by pid)"
                : wrapperGone
                    ? $"ended {sleepEnded:0.0} s after the cancellation; nothing left after {clock.Elapsed.TotalSeconds + returned:0.0} s"
                    : $"ended {sleepEnded:0.0} s after the cancellation; a process naming it was LEFT (then killed by pid)";
            if (!gone || !wrapperGone)
            {
                await RemoteShellAsync($"pgrep -f 'slee[p] {marker}' | xargs -r kill -9");
            }

            return new CancelSample(runner, command, returned, localEnded, remote);
        }
    }

    private static async Task<string> Describe(Task completion)
    {
        try
        {
            await completion;
            return completion switch
            {
                Task<CommandResult> cliWrap => $"exit status {cliWrap.Result.ExitCode}",
                Task<ProcessResult> engine => $"exit status {engine.Result.ExitCode}",
                _ => "succeeded",
            };
        }
        catch (Exception error) when (error is not OutOfMemoryException)
        {
            return error.GetType().Name;
        }
    }

    private static async Task<(double Seconds, string Outcome)> CancelAsync(CancellationTokenSource cancel, Task completion)
    {
        var clock = Stopwatch.StartNew();
        await cancel.CancelAsync();
        var outcome = await Describe(completion);
        return (clock.Elapsed.TotalSeconds, outcome);
    }

    private static string Marker() => "600." + Random.Shared.Next(100000, 999999).ToString(CultureInfo.InvariantCulture);

    private static bool IsRunning(int pid)
    {
        try
        {
            // A reaped process has no directory; a zombie is not running.
            var state = File.ReadAllText($"/proc/{pid}/stat");
            return !state[(state.LastIndexOf(')') + 2)..].StartsWith('Z');
        }
        catch (IOException)
        {
            return false;
        }
    }

    private static async Task<bool> WaitUntilAsync(Func<Task<bool>> condition, TimeSpan limit)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < limit)
        {
            if (await condition())
            {
                return true;
            }

            await Task.Delay(100);
        }

        return await condition();
    }

    private static async Task<int> LocalCountAsync(string marker) =>
        int.Parse((await Processes.RunAsync("bash", ["-c", $"pgrep -x -f 'sleep {marker}' | wc -l"])).Trim(), CultureInfo.InvariantCulture);

    private static Task<string> KillLocalAsync(string marker) =>
        Processes.RunAsync("bash", ["-c", $"pgrep -x -f 'sleep {marker}' | xargs -r kill -9"]);

    /// <summary>
    /// Processes on the host naming the sleep: exactly <c>sleep marker</c> (the command itself) or, not exact, also the
    /// wrapper's shells that carry it as an argument. The bracket keeps the query's own shell out.
    /// </summary>
    private async Task<int> RemoteCountAsync(string marker, bool exact = false) =>
        int.Parse(
            (await RemoteShellAsync(exact ? $"pgrep -x -f 'slee[p] {marker}' | wc -l" : $"pgrep -f 'slee[p] {marker}' | wc -l")).Trim(),
            CultureInfo.InvariantCulture);

    // A shared connection of the probe's own keeps the polling cheap.
    private Task<string> RemoteShellAsync(string line) =>
        Processes.RunAsync("ssh", [
            "-F", sshConfig, "-o", "ControlMaster=auto", "-o", $"ControlPath={workDirectory}/probe-%C", "-o", "ControlPersist=60", host, line,
        ]);

    /// <summary>Ends the probe's shared connection.</summary>
    public Task CloseAsync() =>
        Processes.RunAsync("ssh", ["-F", sshConfig, "-o", $"ControlPath={workDirectory}/probe-%C", "-O", "exit", host]);
}
