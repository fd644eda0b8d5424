using System;

namespace MigrationTools.Engine.Remote;

/// <summary>sudo on the host asked for a password, which the engine never types.</summary>
public sealed class SudoPasswordRequiredException : RemoteException
{
    /// <summary>Creates an exception with a generic message.</summary>
    public SudoPasswordRequiredException()
    {
    }

    /// <summary>Creates an exception with a message.</summary>
    /// <param name="message">What happened.</param>
    public SudoPasswordRequiredException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with a message and its cause.</summary>
    /// <param name="message">What happened.</param>
    /// <param name="innerException">The cause.</param>
    public SudoPasswordRequiredException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for <paramref name="host"/>.</summary>
    /// <param name="host">The destination.</param>
    /// <param name="command">The command that was to run.</param>
    /// <param name="standardError">sudo's messages.</param>
    public SudoPasswordRequiredException(string host, string? command, string standardError)
        : base(
            $"sudo on {host} requires a password, and the engine runs it non-interactively (sudo -n). " +
            $"Allow the remote user to run commands without a password (a NOPASSWD rule in /etc/sudoers.d/ on {host}) or connect as root.",
            host,
            command,
            standardError)
    {
    }
}
