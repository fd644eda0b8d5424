using System;
using System.Text;

namespace MigrationTools.Engine.Remote;

/// <summary>How a remote command ended and what it printed.</summary>
/// <param name="Host">The destination it ran on.</param>
/// <param name="Command">The command line it ran (before sudo and the engine's wrapper).</param>
/// <param name="ExitCode">Its exit status.</param>
/// <param name="StandardOutput">Its standard output; empty when streamed.</param>
/// <param name="StandardError">The tail of its standard error (and ssh's own messages).</param>
public sealed record RemoteResult(string Host, string Command, int ExitCode, byte[] StandardOutput, string StandardError)
{
    /// <summary>True when the command exited with status 0.</summary>
    public bool Succeeded => ExitCode == 0;

    /// <summary>Standard output decoded as UTF-8.</summary>
    public string Text => Encoding.UTF8.GetString(StandardOutput ?? Array.Empty<byte>());

    /// <summary>Returns this result when the command succeeded.</summary>
    /// <returns>This result.</returns>
    /// <exception cref="RemoteCommandFailedException">The command exited with a non-zero status.</exception>
    public RemoteResult EnsureSuccess() =>
        Succeeded ? this : throw new RemoteCommandFailedException(Host, Command, ExitCode, StandardError);
}
