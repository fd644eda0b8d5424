using System;
using MigrationTools.Engine.Remote;

namespace MigrationTools.Engine.Network;

/// <summary>A service address could not be inspected, added or removed on a host; the message names the address, the host and the fix.</summary>
public sealed class ServiceAddressException : RemoteException
{
    /// <summary>Creates an exception with a generic message.</summary>
    public ServiceAddressException()
        : this("A service address could not be moved.")
    {
    }

    /// <summary>Creates an exception with a message.</summary>
    /// <param name="message">What happened.</param>
    public ServiceAddressException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with a message and its cause.</summary>
    /// <param name="message">What happened.</param>
    /// <param name="innerException">The cause.</param>
    public ServiceAddressException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for a command that failed on a host.</summary>
    /// <param name="message">What failed and the fix.</param>
    /// <param name="host">The host.</param>
    /// <param name="command">The command line.</param>
    /// <param name="standardError">What it printed on standard error.</param>
    public ServiceAddressException(string message, string host, string command, string standardError)
        : base(message, host, command, standardError)
    {
    }
}
