using System.Diagnostics;
using System.Text;
using MigrationTools.Engine.Remote;

namespace MigrationTools.Engine.Tests.Remote;

/// <summary>
/// The remote wrapper run by a local <c>sh -c</c>, exactly as sshd hands the command line to the remote
/// user's shell; closing the pipes stands in for the ssh channel closing.
/// </summary>
public class RemoteWrapperTests
{
    private static LocalCommand AsLoginShell(RemoteCommand command, bool readsInput) =>
        new(Sh.Path, ["-c", RemoteWrapper.CommandLine(command, readsInput, elevate: false)]);

    [ShellFact]
    public async Task HostileWordsReachTheCommandLiterally()
    {
        string[] words = ["a b", "$(touch /tmp/mt-wrapper-pwned)", "`id`", "it's", "\"q\"", ";", "|", "&&", "", "-n", "*", "\n", "\\"];
        using var process = LocalProcess.Start(AsLoginShell(RemoteCommand.Create(["printf", "%s\\0", .. words]), readsInput: false));

        var output = await ReadAllAsync(process.StandardOutput);
        var result = await process.WaitForExitAsync();

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(string.Concat(words.Select(w => w + "\0")), Encoding.UTF8.GetString(output));
        Assert.False(File.Exists("/tmp/mt-wrapper-pwned"));
    }

    [ShellTheory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task PassesTheExitStatusThrough(bool readsInput)
    {
        var result = await RunAsync(RemoteCommand.Create("sh", "-c", "echo out; echo err >&2; exit 7"), readsInput);

        Assert.Equal(7, result.ExitCode);
        Assert.Equal("out\n", result.OutputText);
        Assert.Equal("err\n", result.StandardError);
    }

    [ShellFact]
    public async Task AMissingProgramExits127()
    {
        var result = await RunAsync(RemoteCommand.Create("mt-no-such-program"), readsInput: false);

        Assert.Equal(127, result.ExitCode);
    }

    [ShellFact]
    public async Task PipelinesRunInsideTheWrapper()
    {
        var command = RemoteCommand.Create("printf", "a|b\\n").Pipe(RemoteCommand.Create("tr", "|", "-"));

        var result = await RunAsync(command, readsInput: false);

        Assert.Equal("a-b\n", result.OutputText);
    }

    [ShellFact]
    public async Task ACommandThatReadsNoInputEndsWhenTheChannelInputCloses()
    {
        var sleep = ProcessTable.UniqueSleep();
        using var process = LocalProcess.Start(AsLoginShell(RemoteCommand.Create("sleep", sleep), readsInput: false));
        Assert.True(await ProcessTable.WaitUntilRunningAsync(sleep, TimeSpan.FromSeconds(10)));

        process.CloseStandardInput();

        Assert.True(await ProcessTable.WaitUntilGoneAsync(sleep, TimeSpan.FromSeconds(3)), "the wrapped sleep outlived its channel");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var result = await process.WaitForExitAsync(timeout.Token);
        Assert.NotEqual(0, result.ExitCode);
    }

    [ShellFact]
    public async Task TheWholeProcessGroupEnds()
    {
        var child = ProcessTable.UniqueSleep();
        var parent = ProcessTable.UniqueSleep();
        using var process = LocalProcess.Start(AsLoginShell(
            RemoteCommand.Create("sh", "-c", "sleep \"$1\" & sleep \"$2\"; wait", "sh", child, parent), readsInput: false));
        Assert.True(await ProcessTable.WaitUntilRunningAsync(child, TimeSpan.FromSeconds(10)));

        process.CloseStandardInput();

        Assert.True(await ProcessTable.WaitUntilGoneAsync(child, TimeSpan.FromSeconds(3)));
        Assert.True(await ProcessTable.WaitUntilGoneAsync(parent, TimeSpan.FromSeconds(3)));
    }

    [ShellFact]
    public async Task ACommandThatReadsInputGetsItAndItsOutputStaysClean()
    {
        var data = new byte[3 * 1024 * 1024];
        Random.Shared.NextBytes(data);

        var result = await ProcessRunner.RunAsync(
            AsLoginShell(RemoteCommand.Create("sh", "-c", "sleep 1.5; wc -c"), readsInput: true), new MemoryStream(data));

        Assert.Equal(0, result.ExitCode);
        Assert.Contains(RemoteWrapper.Heartbeat, result.StandardOutput);
        Assert.Equal(data.Length.ToString(System.Globalization.CultureInfo.InvariantCulture) + "\n", Encoding.UTF8.GetString(RemoteWrapper.StripHeartbeats(result.StandardOutput)));
        Assert.Equal("", result.StandardError);
    }

    [ShellFact]
    public async Task ACommandThatReadsInputEndsWhenTheChannelCloses()
    {
        // Not reading yet, so end-of-file alone would never reach it: only the heartbeat can notice.
        var sleep = ProcessTable.UniqueSleep();
        var startInfo = new ProcessStartInfo(Sh.Path)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        startInfo.ArgumentList.Add("-c");
        startInfo.ArgumentList.Add(RemoteWrapper.CommandLine(
            RemoteCommand.Create("sh", "-c", "sleep \"$1\"; cat", "sh", sleep), readsInput: true, elevate: false));
        using var process = Process.Start(startInfo)!;
        Assert.True(await ProcessTable.WaitUntilRunningAsync(sleep, TimeSpan.FromSeconds(10)));

        process.StandardOutput.Close();

        Assert.True(await ProcessTable.WaitUntilGoneAsync(sleep, TimeSpan.FromSeconds(4)), "the wrapped command outlived its channel");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await process.WaitForExitAsync(timeout.Token);
        process.StandardInput.Close();
    }

    [ShellFact]
    public async Task ADaemonThatStartsItsOwnSessionSurvivesTheWrapper()
    {
        // Workloads are started this way; the wrapper must only end its own process group.
        var daemon = ProcessTable.UniqueSleep();
        try
        {
            var result = await RunAsync(
                RemoteCommand.Create("sh", "-c", "setsid sleep \"$1\" </dev/null >/dev/null 2>&1 &", "sh", daemon), readsInput: false);

            Assert.Equal(0, result.ExitCode);
            Assert.True(await ProcessTable.WaitUntilRunningAsync(daemon, TimeSpan.FromSeconds(5)));
            await Task.Delay(500);
            Assert.NotEmpty(ProcessTable.WithArgument(daemon));
        }
        finally
        {
            foreach (var pid in ProcessTable.WithArgument(daemon))
            {
                using var leftover = Process.GetProcessById(pid);
                leftover.Kill();
            }
        }
    }

    /// <summary>
    /// Runs a wrapped command to its end. Like the engine, it keeps the channel's input open while a command
    /// that reads none runs: closing it is how the engine says "stop".
    /// </summary>
    [ShellTheory]
    [InlineData(false, "STDOUT")]
    [InlineData(true, "STDIN")]
    public async Task ABulkStreamsPipeIsEnlargedOnTheHostAndNoOtherIs(bool readsInput, string handle)
    {
        // F_GETPIPE_SZ (1032) of the pipe the stream flows through: into a command that reads, out of one that does not.
        var probe = RemoteCommand.Create("perl", "-e", $"print fcntl({handle}, 1032, 0)");

        var bulk = await RunAsync(new LocalCommand(Sh.Path, ["-c", RemoteWrapper.CommandLine(probe, readsInput, elevate: false, bulk: true)]), readsInput);
        var plain = await RunAsync(probe, readsInput);

        Assert.Equal("1048576", bulk.OutputText);
        Assert.Equal("65536", plain.OutputText);
    }

    [ShellFact]
    public async Task WithoutPerlABulkStreamFlowsAsItIs()
    {
        var bin = Directory.CreateTempSubdirectory("mt-no-perl-");
        try
        {
            foreach (var tool in new[] { "sh", "setsid", "sleep", "cat" })
            {
                File.CreateSymbolicLink(Path.Combine(bin.FullName, tool), File.Exists("/usr/bin/" + tool) ? "/usr/bin/" + tool : "/bin/" + tool);
            }

            var line = RemoteWrapper.CommandLine(RemoteCommand.Create("cat"), readsInput: true, elevate: false, bulk: true);
            using var process = LocalProcess.Start(
                new LocalCommand(Sh.Path, ["-c", line]) { Environment = new Dictionary<string, string?> { ["PATH"] = bin.FullName } });
            await process.StandardInput.WriteAsync(Encoding.UTF8.GetBytes("stream\n"));
            process.CloseStandardInput();
            var output = RemoteWrapper.StripHeartbeats(await ReadAllAsync(process.StandardOutput));
            var result = await process.WaitForExitAsync();

            Assert.Equal(0, result.ExitCode);
            Assert.Equal("stream\n", Encoding.UTF8.GetString(output));
            Assert.Equal("", result.StandardError);
        }
        finally
        {
            bin.Delete(recursive: true);
        }
    }

    private static async Task<ProcessResult> RunAsync(RemoteCommand command, bool readsInput) =>
        await RunAsync(AsLoginShell(command, readsInput), readsInput);

    private static async Task<ProcessResult> RunAsync(LocalCommand login, bool readsInput)
    {
        using var process = LocalProcess.Start(login);
        if (readsInput)
        {
            process.CloseStandardInput();
        }

        var output = await ReadAllAsync(process.StandardOutput);
        var result = await process.WaitForExitAsync();
        process.CloseStandardInput();
        return result with { StandardOutput = readsInput ? RemoteWrapper.StripHeartbeats(output) : output };
    }

    private static async Task<byte[]> ReadAllAsync(Stream stream)
    {
        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer);
        return buffer.ToArray();
    }
}
