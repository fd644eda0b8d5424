using System.Diagnostics;
using MigrationTools.Engine.Remote;
using MigrationTools.Engine.Tests.Remote;
using MigrationTools.Engine.Zfs;

namespace MigrationTools.Engine.Tests.Zfs;

/// <summary>
/// A guarded send (<see cref="ZfsSendCommand.HoldGuardScript"/>) under the engine's watchdog: when its channel closes
/// while nothing reads its stream, the send must end on a broken pipe, as a send whose reader went away does, not by
/// a signal. A stand-in send writes until a write fails and then notes it in a file.
/// </summary>
public sealed class ZfsSendHoldGuardTests : IDisposable
{
    // $1 the file to note the failed write in. Like legacy zfs writing a -p stream's header, it writes itself and keeps
    // SIGPIPE as it found it: only a guard that ignores PIPE turns a broken pipe into an error it can clean up after.
    private const string StandInSend =
        "while :; do printf '%s' 0123456789abcdef0123456789abcdef 2>/dev/null || { echo broken-pipe > \"$1\"; exit 9; }; done";

    private readonly string _note = Path.Combine(Path.GetTempPath(), "mt-send-guard-" + Guid.NewGuid().ToString("N"));

    public void Dispose() => File.Delete(_note);

    [ShellFact]
    public void TheSendsExitStatusAndStreamPassThrough()
    {
        var output = Sh.Run(Guard("sh", "-c", "printf 'stream'; exit 0").CommandLine + "; echo \" $?\"");

        Assert.Equal("stream 0\n", System.Text.Encoding.UTF8.GetString(output));
        Assert.Equal("3\n", System.Text.Encoding.UTF8.GetString(Sh.Run(Guard("sh", "-c", "exit 3").CommandLine + "; echo $?")));
    }

    [ShellFact]
    public async Task AGuardedSendWhoseChannelClosesEndsOnABrokenPipe()
    {
        var exit = await CloseTheChannelOfAStalledSendAsync(Guard("sh", "-c", StandInSend, "sh", _note));

        Assert.NotEqual(0, exit);
        Assert.Equal("broken-pipe\n", File.ReadAllText(_note));
    }

    [ShellFact]
    public async Task AnUnguardedSendWhoseChannelClosesIsKilled()
    {
        // Why the guard is there: the watchdog's TERM, or the broken pipe's SIGPIPE, ends a plain send before it can fail by itself.
        var exit = await CloseTheChannelOfAStalledSendAsync(RemoteCommand.Create("sh", "-c", StandInSend, "sh", _note));

        Assert.NotEqual(0, exit);
        Assert.False(File.Exists(_note));
    }

    private static RemoteCommand Guard(params string[] send) =>
        RemoteCommand.Create(new[] { "sh", "-c", ZfsSendCommand.HoldGuardScript, "sh" }.Concat(send));

    /// <summary>Runs the command under the watchdog, never reads its output, and closes its channel's input.</summary>
    private static async Task<int> CloseTheChannelOfAStalledSendAsync(RemoteCommand command)
    {
        var startInfo = new ProcessStartInfo(Sh.Path)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        startInfo.ArgumentList.Add("-c");
        startInfo.ArgumentList.Add(RemoteWrapper.CommandLine(command, readsInput: false, elevate: false));
        using var process = Process.Start(startInfo)!;
        var errors = process.StandardError.ReadToEndAsync();
        // Long enough for the stand-in to fill the pipe and stall on it.
        await Task.Delay(TimeSpan.FromSeconds(1));

        process.StandardInput.Close();

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await process.WaitForExitAsync(timeout.Token);
        await errors;
        return process.ExitCode;
    }
}
