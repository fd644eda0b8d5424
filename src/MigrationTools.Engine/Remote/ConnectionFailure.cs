namespace MigrationTools.Engine.Remote;

/// <summary>Why ssh could not establish a connection.</summary>
public enum ConnectionFailure
{
    /// <summary>ssh failed to connect for a reason not recognised; its message says more.</summary>
    Other,

    /// <summary>Nothing listens on the port (TCP connection refused).</summary>
    Refused,

    /// <summary>No route to the host, or the network is unreachable.</summary>
    Unreachable,

    /// <summary>The host name could not be resolved.</summary>
    NameResolution,

    /// <summary>No answer within the connect timeout.</summary>
    TimedOut,

    /// <summary>The host accepted the TCP connection, then closed it before the ssh handshake completed.</summary>
    Closed,
}
