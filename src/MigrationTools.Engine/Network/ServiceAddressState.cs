using System;
using System.Collections.Generic;
using System.Linq;

namespace MigrationTools.Engine.Network;

/// <summary>What one host says about one service address: its interface, whether it holds the address, and who else answers it.</summary>
/// <param name="Address">The service address.</param>
/// <param name="Interface">The state of its interface there.</param>
/// <param name="InterfaceMac">The interface's hardware address (lower case), or <see langword="null"/> when it has none or is missing.</param>
/// <param name="Held">Whether the interface holds the address with its prefix.</param>
/// <param name="Answers">The hardware addresses (lower case) that answered the address on the interface's network, when probed.</param>
/// <param name="Unprobed">Why the network was not asked (<c>no-arping</c>, <c>interface-down</c>, ...); <see langword="null"/> when it was, or when no probe was asked for.</param>
public sealed record ServiceAddressState(
    ServiceAddress Address, InterfaceState Interface, string? InterfaceMac, bool Held, IReadOnlyList<string> Answers, string? Unprobed)
{
    /// <summary>The answers from any hardware address other than <paramref name="allowedMac"/> (such as the source's interface).</summary>
    /// <param name="allowedMac">The hardware address that may answer; <see langword="null"/> when none may.</param>
    /// <returns>The other answering hardware addresses.</returns>
    public IReadOnlyList<string> AnswersOtherThan(string? allowedMac) =>
        Answers.Where(mac => !string.Equals(mac, allowedMac, StringComparison.OrdinalIgnoreCase)).Distinct(StringComparer.Ordinal).ToArray();
}
