using System;

namespace MigrationTools.Engine.Remote;

/// <summary>ssh refused to connect because the host's key is not in known_hosts (strict checking is always on).</summary>
public sealed class HostKeyUnknownException : RemoteException
{
    /// <summary>Creates an exception with a generic message.</summary>
    public HostKeyUnknownException()
    {
    }

    /// <summary>Creates an exception with a message.</summary>
    /// <param name="message">What happened.</param>
    public HostKeyUnknownException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with a message and its cause.</summary>
    /// <param name="message">What happened.</param>
    /// <param name="innerException">The cause.</param>
    public HostKeyUnknownException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for <paramref name="host"/>.</summary>
    /// <param name="host">The destination.</param>
    /// <param name="command">The command that was to run, if any.</param>
    /// <param name="standardError">ssh's messages.</param>
    public HostKeyUnknownException(string host, string? command, string standardError)
        : base(
            $"The host key of {host} is not known, so ssh refused to connect (host keys are always checked). " +
            "Verify the key's fingerprint with the host's administrator (on the host: ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub), " +
            $"then add it: ssh-keyscan -H {host} >> ~/.ssh/known_hosts (or to the file given as KnownHostsFile). " +
            "Never turn host-key checking off to get past this.",
            host,
            command,
            standardError)
    {
    }
}
