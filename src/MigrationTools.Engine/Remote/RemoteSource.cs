using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace MigrationTools.Engine.Remote;

/// <summary>
/// A remote command whose standard output streams to the caller as it is produced, such as
/// <c>zfs send</c>; nothing is buffered beyond the pipes.
/// </summary>
/// <remarks>
/// Read <see cref="Output"/>, then call <see cref="CompleteAsync"/> for the exit status. Disposing before
/// completion (or cancelling) ends the local ssh and the remote command.
/// </remarks>
public sealed class RemoteSource : IDisposable
{
    private readonly RemoteRun _run;

    internal RemoteSource(RemoteRun run) => _run = run;

    /// <summary>The remote command's standard output.</summary>
    public Stream Output => _run.Process.StandardOutput;

    /// <summary>The destination the command runs on.</summary>
    public string Host => _run.Host;

    /// <summary>The command line.</summary>
    public string Command => _run.Command;

    /// <summary>
    /// Waits for the command to exit, discarding any output not yet read, and checks that it succeeded.
    /// </summary>
    /// <param name="cancellationToken">Ends the command (local and remote) when cancelled.</param>
    /// <returns>The result; its standard output is empty (it was streamed).</returns>
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
        var rest = RemoteRun.DrainAsync(Output, keep: false);
        var result = await _run.FinishAsync(cancellationToken).ConfigureAwait(false);
        await rest.ConfigureAwait(false);
        return result;
    }
}
