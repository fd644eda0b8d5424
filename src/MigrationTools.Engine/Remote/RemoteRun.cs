using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace MigrationTools.Engine.Remote;

/// <summary>One local ssh process running one wrapped remote command; shared by sources, sinks and plain runs.</summary>
internal sealed class RemoteRun : IDisposable
{
    private readonly bool _readsInput;

    public RemoteRun(LocalProcess process, string host, string command, bool readsInput, string? user = null)
    {
        User = user;
        Process = process;
        Host = host;
        Command = command;
        _readsInput = readsInput;
    }

    public LocalProcess Process { get; }

    public string Host { get; }

    public string Command { get; }

    /// <summary>The remote login user, for messages about its sudo rules; null when unknown.</summary>
    public string? User { get; }

    /// <summary>
    /// Waits for ssh to exit and returns the command's result. Failures of the connection itself (host key,
    /// login, network, sudo) are thrown; a command's own non-zero exit status is returned.
    /// </summary>
    public async Task<RemoteResult> FinishAsync(CancellationToken cancellationToken)
    {
        ProcessResult exit;
        try
        {
            exit = await Process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            // The watchdog's standard input was held open for as long as the command ran.
            if (!_readsInput)
            {
                Process.CloseStandardInput();
            }
        }

        var standardError = exit.StandardError;
        var failure = SshFailureClassifier.Classify(Host, Command, exit.ExitCode, standardError, User);
        if (failure is not null && SshFailureClassifier.IsConnectionLevel(failure))
        {
            throw failure;
        }

        return new RemoteResult(Host, Command, exit.ExitCode, Array.Empty<byte>(), standardError);
    }

    /// <summary>Reads <paramref name="output"/> to its end in the background, keeping what it reads when asked to.</summary>
    public static async Task<byte[]> DrainAsync(Stream output, bool keep)
    {
        using var kept = new MemoryStream();
        var buffer = new byte[64 * 1024];
        try
        {
            int read;
            while ((read = await output.ReadAsync(buffer, 0, buffer.Length).ConfigureAwait(false)) > 0)
            {
                if (keep)
                {
                    kept.Write(buffer, 0, read);
                }
            }
        }
        catch (IOException)
        {
            // ssh was killed; what was read is kept.
        }
        catch (ObjectDisposedException)
        {
            // Disposed while draining; what was read is kept.
        }

        return kept.ToArray();
    }

    /// <summary>
    /// Ends the run: end-of-file on the channel (which fires the remote watchdog of a command that reads no
    /// input), then the local ssh is killed, which closes the channel for any command.
    /// </summary>
    public void Dispose()
    {
        if (!_readsInput)
        {
            Process.CloseStandardInput();
        }

        Process.Dispose();
    }
}
