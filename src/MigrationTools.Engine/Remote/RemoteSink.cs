using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace MigrationTools.Engine.Remote;

/// <summary>
/// A remote command that reads what the caller writes to <see cref="Input"/>, such as <c>zfs receive</c>;
/// its standard output, which must be small and free of NUL bytes (text), is collected in the background.
/// </summary>
/// <remarks>
/// Write to <see cref="Input"/>, then call <see cref="CompleteAsync"/>, which sends end-of-file and waits.
/// A write that fails with <see cref="IOException"/> means the command stopped reading (usually it failed):
/// call <see cref="CompleteAsync"/> to learn why. Disposing before completion (or cancelling) ends the local
/// ssh and, within about a second, the remote command. The command may see end-of-file on its input before
/// it is killed, so it must treat truncated input as a failure (as <c>zfs receive</c> does) or write its
/// result somewhere that only counts once it succeeded.
/// </remarks>
public sealed class RemoteSink : IDisposable
{
    private readonly RemoteRun _run;
    private readonly Task<byte[]> _output;

    internal RemoteSink(RemoteRun run)
    {
        _run = run;
        _output = RemoteRun.DrainAsync(run.Process.StandardOutput, keep: true);
    }

    /// <summary>The remote command's standard input.</summary>
    public Stream Input => _run.Process.StandardInput;

    /// <summary>The destination the command runs on.</summary>
    public string Host => _run.Host;

    /// <summary>The command line.</summary>
    public string Command => _run.Command;

    /// <summary>Sends end-of-file, waits for the command to exit and checks that it succeeded.</summary>
    /// <param name="cancellationToken">Ends the command (local and remote) when cancelled.</param>
    /// <returns>The result with the command's standard output.</returns>
    /// <exception cref="RemoteCommandFailedException">The command exited with a non-zero status.</exception>
    /// <exception cref="RemoteException">The connection failed (a subclass says how).</exception>
    /// <exception cref="OperationCanceledException">The command was cancelled.</exception>
    public async Task<RemoteResult> CompleteAsync(CancellationToken cancellationToken = default) =>
        (await FinishAsync(cancellationToken).ConfigureAwait(false)).EnsureSuccess();

    /// <summary>Ends the local ssh and the remote command if they still run.</summary>
    public void Dispose() => _run.Dispose();

    /// <summary>Like <see cref="CompleteAsync"/>, but returns a non-zero exit status instead of throwing.</summary>
    internal async Task<RemoteResult> FinishAsync(CancellationToken cancellationToken)
    {
        _run.Process.CloseStandardInput();
        var result = await _run.FinishAsync(cancellationToken).ConfigureAwait(false);
        return result with { StandardOutput = RemoteWrapper.StripHeartbeats(await _output.ConfigureAwait(false)) };
    }
}
