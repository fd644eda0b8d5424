using System;

namespace MigrationTools.Engine.Remote;

/// <summary>The host refused the login: no key ssh offered is authorized for the remote user.</summary>
public sealed class AuthenticationFailedException : RemoteException
{
    /// <summary>Creates an exception with a generic message.</summary>
    public AuthenticationFailedException()
    {
    }

    /// <summary>Creates an exception with a message.</summary>
    /// <param name="message">What happened.</param>
    public AuthenticationFailedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with a message and its cause.</summary>
    /// <param name="message">What happened.</param>
    /// <param name="innerException">The cause.</param>
    public AuthenticationFailedException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for <paramref name="host"/>.</summary>
    /// <param name="host">The destination.</param>
    /// <param name="command">The command that was to run, if any.</param>
    /// <param name="standardError">ssh's messages.</param>
    public AuthenticationFailedException(string host, string? command, string standardError)
        : base(
            $"{host} refused the login (Permission denied): no key that ssh offered is authorized for the remote user. " +
            "Check the user name, point IdentityFile (or ssh_config) at the right private key, and add its public key to " +
            $"the user's ~/.ssh/authorized_keys on {host}. Passwords are never prompted for (BatchMode).",
            host,
            command,
            standardError)
    {
    }
}
