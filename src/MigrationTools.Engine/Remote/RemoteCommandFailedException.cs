using System;

namespace MigrationTools.Engine.Remote;

/// <summary>A remote command ran and exited with a non-zero status.</summary>
public sealed class RemoteCommandFailedException : RemoteException
{
    /// <summary>Creates an exception with a generic message.</summary>
    public RemoteCommandFailedException()
    {
    }

    /// <summary>Creates an exception with a message.</summary>
    /// <param name="message">What happened.</param>
    public RemoteCommandFailedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with a message and its cause.</summary>
    /// <param name="message">What happened.</param>
    /// <param name="innerException">The cause.</param>
    public RemoteCommandFailedException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for a command that exited with <paramref name="exitCode"/>.</summary>
    /// <param name="host">The destination.</param>
    /// <param name="command">The command line.</param>
    /// <param name="exitCode">Its exit status.</param>
    /// <param name="standardError">Its standard error.</param>
    public RemoteCommandFailedException(string host, string command, int exitCode, string standardError)
        : base(
            $"{command} failed on {host} with exit status {exitCode}" +
            (string.IsNullOrWhiteSpace(standardError) ? " and printed nothing on standard error." : ":\n" + Excerpt(standardError)),
            host,
            command,
            standardError)
    {
        ExitCode = exitCode;
    }

    /// <summary>The command's exit status.</summary>
    public int ExitCode { get; }
}
