using System;

namespace MigrationTools.Engine.Remote;

/// <summary>ssh could not connect to the host: refused, unreachable, unresolvable, timed out or closed during the handshake.</summary>
public sealed class ConnectionFailedException : RemoteException
{
    /// <summary>Creates an exception with a generic message.</summary>
    public ConnectionFailedException()
    {
    }

    /// <summary>Creates an exception with a message.</summary>
    /// <param name="message">What happened.</param>
    public ConnectionFailedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with a message and its cause.</summary>
    /// <param name="message">What happened.</param>
    /// <param name="innerException">The cause.</param>
    public ConnectionFailedException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for <paramref name="host"/>.</summary>
    /// <param name="host">The destination.</param>
    /// <param name="command">The command that was to run, if any.</param>
    /// <param name="reason">Why the connection failed.</param>
    /// <param name="standardError">ssh's messages.</param>
    public ConnectionFailedException(string host, string? command, ConnectionFailure reason, string standardError)
        : base(Describe(host, reason, standardError), host, command, standardError)
    {
        Reason = reason;
    }

    /// <summary>Why the connection failed.</summary>
    public ConnectionFailure Reason { get; }

    private static string Describe(string host, ConnectionFailure reason, string standardError) => reason switch
    {
        ConnectionFailure.Refused =>
            $"Could not connect to {host}: the connection was refused, so nothing listens on its ssh port. Check that sshd runs on {host} and that the port is right.",
        ConnectionFailure.Unreachable =>
            $"Could not connect to {host}: there is no route to it. Check the address, the network and any firewall between here and {host}.",
        ConnectionFailure.NameResolution =>
            $"Could not connect to {host}: the name does not resolve. Check its spelling and DNS, or give an address or an ssh_config alias.",
        ConnectionFailure.TimedOut =>
            $"Could not connect to {host}: no answer within the connect timeout. Check that the host is up and that no firewall drops ssh, or raise ConnectTimeout.",
        ConnectionFailure.Closed =>
            $"Could not connect to {host}: it closed the connection during the ssh handshake. Check sshd's log on {host} (MaxStartups, AllowUsers, a blocklist).",
        _ => $"Could not connect to {host}: ssh failed.\n" + Excerpt(standardError),
    };
}
