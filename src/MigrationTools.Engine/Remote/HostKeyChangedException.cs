using System;

namespace MigrationTools.Engine.Remote;

/// <summary>ssh refused to connect because the host's key differs from the one recorded in known_hosts.</summary>
public sealed class HostKeyChangedException : RemoteException
{
    /// <summary>Creates an exception with a generic message.</summary>
    public HostKeyChangedException()
    {
    }

    /// <summary>Creates an exception with a message.</summary>
    /// <param name="message">What happened.</param>
    public HostKeyChangedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with a message and its cause.</summary>
    /// <param name="message">What happened.</param>
    /// <param name="innerException">The cause.</param>
    public HostKeyChangedException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for <paramref name="host"/>.</summary>
    /// <param name="host">The destination.</param>
    /// <param name="command">The command that was to run, if any.</param>
    /// <param name="standardError">ssh's messages.</param>
    public HostKeyChangedException(string host, string? command, string standardError)
        : base(
            $"The host key of {host} has CHANGED since it was recorded in known_hosts, so ssh refused to connect: " +
            "either the host was reinstalled or someone is intercepting the connection. " +
            $"Confirm the new key's fingerprint with the host's administrator; only then remove the old entry (ssh-keygen -R {host}) " +
            $"and add the new one (ssh-keyscan -H {host} >> ~/.ssh/known_hosts).",
            host,
            command,
            standardError)
    {
    }
}
