using System;
using System.Net;

namespace MigrationTools.Engine.Transfer;

/// <summary>The addresses by which two hosts reach each other directly, as the source's own network sees them.</summary>
/// <param name="Source">The source's own address toward the destination (the route's <c>src</c>).</param>
/// <param name="Destination">The destination's address, as the source's ssh reaches it.</param>
internal sealed record HostLinkAddresses(IPAddress Source, IPAddress Destination)
{
    /// <summary>The source's own address toward the destination.</summary>
    public IPAddress Source { get; } = Source ?? throw new ArgumentNullException(nameof(Source));

    /// <summary>The destination's address as the source reaches it.</summary>
    public IPAddress Destination { get; } = Destination ?? throw new ArgumentNullException(nameof(Destination));
}
