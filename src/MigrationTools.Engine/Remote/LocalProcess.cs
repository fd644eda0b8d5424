using System;
using System.ComponentModel;
using System.Diagnostics;
using System.IO;
using System.IO.Pipes;
using System.Runtime.InteropServices;
using System.Threading;
using System.Threading.Tasks;

namespace MigrationTools.Engine.Remote;

/// <summary>
/// A running local program with its standard input and output exposed as streams, for piping data
/// of any size; standard error is collected in the background, keeping only its tail.
/// </summary>
/// <remarks>
/// The caller must read <see cref="StandardOutput"/> (to its end, or until it stops the process) and close
/// <see cref="StandardInput"/> when done writing: a program blocked writing to a full pipe never exits.
/// Cancelling the token given to <see cref="Start"/> kills the process (with its descendants where the
/// runtime can); <see cref="WaitForExitAsync"/> then throws <see cref="OperationCanceledException"/>.
/// </remarks>
internal sealed class LocalProcess : IDisposable
{
    // After a kill, a descendant that escaped (a daemonised child) may still hold stderr open.
    private static readonly TimeSpan DrainAfterKill = TimeSpan.FromSeconds(2);

    private readonly Process _process;
    private readonly TaskCompletionSource<bool> _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TailBuffer _standardError;
    private readonly Task _standardErrorPump;
    private readonly string _display;
    private CancellationTokenRegistration _cancellation;
    private CancellationToken _cancelledBy;
    private int _killed;
    private bool _disposed;

    private LocalProcess(Process process, LocalCommand command)
    {
        _process = process;
        _display = command.ToString();
        _standardError = new TailBuffer(command.StandardErrorLimit);
        process.Exited += (_, _) => _exited.TrySetResult(true);
        if (!process.Start())
        {
            throw new InvalidOperationException($"'{command.FileName}' did not start.");
        }

        Id = process.Id;
        StandardInput = process.StandardInput.BaseStream;
        StandardOutput = process.StandardOutput.BaseStream;
        if (command.PipeCapacity is { } capacity)
        {
            TrySetPipeCapacity(StandardInput, capacity);
            TrySetPipeCapacity(StandardOutput, capacity);
        }

        _standardErrorPump = PumpStandardErrorAsync(process.StandardError.BaseStream, _standardError);

        // Exited may have fired before the handler saw a started process; HasExited settles it.
        if (process.HasExited)
        {
            _exited.TrySetResult(true);
        }
    }

    /// <summary>Resizes a pipe (Linux); a refusal leaves the default size, which costs only speed.</summary>
    private static void TrySetPipeCapacity(Stream stream, int capacity)
    {
        if (stream is PipeStream pipe && RuntimeInformation.IsOSPlatform(OSPlatform.Linux))
        {
            _ = UnixNative.fcntl(pipe.SafePipeHandle.DangerousGetHandle().ToInt32(), UnixNative.FSetPipeSize, capacity);
        }
    }

    /// <summary>The operating system's process id.</summary>
    public int Id { get; }

    /// <summary>The program's standard input. Dispose it (or call <see cref="CloseStandardInput"/>) to send end-of-file.</summary>
    public Stream StandardInput { get; }

    /// <summary>The program's standard output, read as it is produced.</summary>
    public Stream StandardOutput { get; }

    /// <summary>What the program wrote to standard error so far (its tail), for programs that report through it while they run.</summary>
    public string StandardErrorSoFar => _standardError.ToString();

    /// <summary>True once the program has exited.</summary>
    public bool HasExited => _exited.Task.IsCompleted;

    /// <summary>Starts <paramref name="command"/> with all three standard streams redirected.</summary>
    /// <param name="command">The program and its arguments.</param>
    /// <param name="cancellationToken">Kills the process when cancelled, for its whole life.</param>
    /// <returns>The running process.</returns>
    /// <exception cref="ArgumentException">The command is malformed (empty program, null or NUL-carrying argument).</exception>
    /// <exception cref="InvalidOperationException">The program could not be started (not found, not executable).</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was already cancelled.</exception>
    public static LocalProcess Start(LocalCommand command, CancellationToken cancellationToken = default)
    {
        if (command is null)
        {
            throw new ArgumentNullException(nameof(command));
        }

        command.Validate();
        cancellationToken.ThrowIfCancellationRequested();

        var startInfo = new ProcessStartInfo(command.FileName)
        {
            UseShellExecute = false,
            CreateNoWindow = true,
            // Every stream is redirected: an inherited stdin would let ssh read the user's terminal.
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        ProcessCompat.SetArguments(startInfo, command.Arguments);
        if (command.WorkingDirectory is not null)
        {
            startInfo.WorkingDirectory = command.WorkingDirectory;
        }

        foreach (var variable in command.Environment)
        {
            if (variable.Value is null)
            {
                startInfo.Environment.Remove(variable.Key);
            }
            else
            {
                startInfo.Environment[variable.Key] = variable.Value;
            }
        }

        var process = new Process { StartInfo = startInfo, EnableRaisingEvents = true };
        LocalProcess started;
        try
        {
            started = new LocalProcess(process, command);
        }
        catch (Win32Exception error)
        {
            process.Dispose();
            throw new InvalidOperationException(
                $"Could not start '{command.FileName}': {error.Message}. Check that it is installed and on PATH.", error);
        }
        catch
        {
            process.Dispose();
            throw;
        }

        started._cancellation = cancellationToken.Register(() => started.KillFor(cancellationToken));
        return started;
    }

    /// <summary>Closes standard input, so the program reads end-of-file. Safe to call more than once.</summary>
    public void CloseStandardInput()
    {
        try
        {
            StandardInput.Dispose();
        }
        catch (IOException)
        {
            // The program already closed its end; end-of-file is moot.
        }
    }

    /// <summary>
    /// Waits for the program to exit and its standard error to be collected.
    /// Standard output is not read here; the result's <see cref="ProcessResult.StandardOutput"/> is empty.
    /// </summary>
    /// <param name="cancellationToken">Kills the process when cancelled.</param>
    /// <returns>The exit code and standard error.</returns>
    /// <exception cref="OperationCanceledException">The process was killed because a token was cancelled.</exception>
    public async Task<ProcessResult> WaitForExitAsync(CancellationToken cancellationToken = default)
    {
        using (cancellationToken.Register(() => KillFor(cancellationToken)))
        {
            await _exited.Task.ConfigureAwait(false);
        }

        if (Volatile.Read(ref _killed) != 0)
        {
            await Task.WhenAny(_standardErrorPump, Task.Delay(DrainAfterKill, CancellationToken.None)).ConfigureAwait(false);
        }
        else
        {
            await _standardErrorPump.ConfigureAwait(false);
        }

        if (_cancelledBy.IsCancellationRequested)
        {
            throw new OperationCanceledException($"'{_display}' was cancelled and killed.", _cancelledBy);
        }

        return new ProcessResult(_process.ExitCode, Array.Empty<byte>(), _standardError.ToString(), _standardError.Truncated);
    }

    /// <summary>Kills the process (with its descendants where the runtime can). Quiet if it already exited.</summary>
    public void Kill()
    {
        Interlocked.Exchange(ref _killed, 1);
        if (!HasExited)
        {
            ProcessCompat.Kill(_process);
        }
    }

    /// <summary>Kills the process if it is still running and releases its streams.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _cancellation.Dispose();
        Kill();
        _process.Dispose();
    }

    private static async Task PumpStandardErrorAsync(Stream source, TailBuffer tail)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            int read;
            while ((read = await source.ReadAsync(buffer, 0, buffer.Length).ConfigureAwait(false)) > 0)
            {
                tail.Append(buffer, 0, read);
            }
        }
        catch (IOException)
        {
            // The pipe broke as the process died; what was read is kept.
        }
        catch (ObjectDisposedException)
        {
            // Disposed while still reading; what was read is kept.
        }
    }

    private void KillFor(CancellationToken token)
    {
        if (HasExited)
        {
            return;
        }

        _cancelledBy = token;
        Kill();
    }
}
