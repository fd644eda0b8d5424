using System;
using System.Globalization;
using System.Net;

namespace MigrationTools.Engine.Criu;

/// <summary>
/// Where a CRIU page server listens: the destination's <c>criu page-server</c> that a streamed dump sends its pages
/// to, or the source's lazy dump that a <c>criu lazy-pages</c> daemon pulls them from.
/// </summary>
/// <param name="Address">The address it listens on, as the peer reaches it.</param>
/// <param name="Port">Its TCP port, 1 to 65535.</param>
internal sealed record CriuPageServer(IPAddress Address, int Port)
{
    /// <summary>The address it listens on.</summary>
    public IPAddress Address { get; } = Address ?? throw new ArgumentNullException(nameof(Address));

    /// <summary>Its TCP port.</summary>
    public int Port { get; } = Port is >= 1 and <= 65535
        ? Port
        : throw new ArgumentOutOfRangeException(nameof(Port), Port, "A page server's port is from 1 to 65535.");

    /// <summary>The <c>--address A --port P</c> arguments that name it.</summary>
    /// <returns>The four arguments.</returns>
    public string[] ToArguments() => new[] { "--address", Address.ToString(), "--port", Port.ToString(CultureInfo.InvariantCulture) };

    /// <summary><c>address:port</c>, with an IPv6 address in brackets.</summary>
    /// <returns>The endpoint.</returns>
    public override string ToString() => new IPEndPoint(Address, Port).ToString();
}
