using System;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using MigrationTools.Engine.Remote;

namespace MigrationTools.Engine.Network;

/// <summary>
/// An address a workload's clients reach it at, with its prefix and the host interface it lives on. It moves with the
/// workload: held by the host that runs it, released on the source after the freeze and added on the destination
/// before the restore. Written <c>ADDRESS/PREFIX@INTERFACE</c>, such as <c>10.0.0.80/24@eth0</c> or
/// <c>fd00::80/64@br0</c>.
/// </summary>
/// <remarks>Every value is validated on construction; <see cref="ToString"/> gives the canonical text that <see cref="Parse"/> reads back.</remarks>
public sealed record ServiceAddress
{
    /// <summary>The longest interface name Linux accepts (IFNAMSIZ without the NUL).</summary>
    public const int MaxInterfaceLength = 15;

    /// <summary>Creates a service address from its parts.</summary>
    /// <param name="address">An IPv4 or IPv6 unicast address that can move between hosts.</param>
    /// <param name="prefixLength">The network's prefix length: 1-32 for IPv4, 1-128 for IPv6.</param>
    /// <param name="interfaceName">The interface or bridge it is added to, such as <c>eth0</c>.</param>
    /// <exception cref="ArgumentException">A part is invalid; the message names it and the fix.</exception>
    public ServiceAddress(IPAddress address, int prefixLength, string interfaceName)
    {
        if (address is null)
        {
            throw new ArgumentNullException(nameof(address));
        }

        if (AddressError(address) is { } addressError)
        {
            throw new ArgumentException(addressError, nameof(address));
        }

        if (PrefixError(address, prefixLength) is { } prefixError)
        {
            throw new ArgumentOutOfRangeException(nameof(prefixLength), prefixLength, prefixError);
        }

        if (InterfaceError(interfaceName) is { } interfaceError)
        {
            throw new ArgumentException(interfaceError, nameof(interfaceName));
        }

        Address = address;
        PrefixLength = prefixLength;
        InterfaceName = interfaceName;
    }

    /// <summary>The address.</summary>
    public IPAddress Address { get; }

    /// <summary>The network's prefix length.</summary>
    public int PrefixLength { get; }

    /// <summary>The interface or bridge the address is added to.</summary>
    public string InterfaceName { get; }

    /// <summary>Whether this is an IPv6 address (announced by neighbour advertisement rather than ARP).</summary>
    public bool IsIPv6 => Address.AddressFamily == AddressFamily.InterNetworkV6;

    /// <summary>The address with its prefix as <c>ip address</c> takes it: <c>10.0.0.80/24</c>.</summary>
    public string Cidr => Address + "/" + PrefixLength.ToString(CultureInfo.InvariantCulture);

    /// <summary>Reads <c>ADDRESS/PREFIX@INTERFACE</c>.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The service address.</returns>
    /// <exception cref="ArgumentException">The text is not a valid service address; the message says why and how to write one.</exception>
    public static ServiceAddress Parse(string text) =>
        TryParse(text, out var address, out var error) ? address! : throw new ArgumentException(error, nameof(text));

    /// <summary>Reads <c>ADDRESS/PREFIX@INTERFACE</c>, without throwing.</summary>
    /// <param name="text">The text.</param>
    /// <param name="address">The service address, when valid.</param>
    /// <param name="error">Why it is not, when invalid: names the fault and the fix.</param>
    /// <returns>Whether the text is a valid service address.</returns>
    public static bool TryParse(string? text, out ServiceAddress? address, out string? error)
    {
        address = null;
        error = ParseError(text, out var ip, out var prefix, out var name);
        if (error is null)
        {
            address = new ServiceAddress(ip!, prefix, name!);
        }

        return error is null;
    }

    /// <summary>The canonical text, <c>ADDRESS/PREFIX@INTERFACE</c>.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => Cidr + "@" + InterfaceName;

    private static string? ParseError(string? text, out IPAddress? ip, out int prefix, out string? name)
    {
        ip = null;
        prefix = 0;
        name = null;
        const string Form = "write it as ADDRESS/PREFIX@INTERFACE, such as 10.0.0.80/24@eth0";
        if (string.IsNullOrEmpty(text))
        {
            return $"The service address is empty; {Form}.";
        }

        var at = text!.LastIndexOf('@');
        var slash = at < 0 ? -1 : text.LastIndexOf('/', at);
        if (at < 0 || slash < 0)
        {
            return $"The service address {SafeText.Show(text)} lacks its {(slash < 0 && at >= 0 ? "prefix length" : "interface")}; {Form}.";
        }

        name = text.Substring(at + 1);
        var prefixText = text.Substring(slash + 1, at - slash - 1);
        var addressText = text.Substring(0, slash);
        if (!TryParseAddress(addressText, out ip))
        {
            return $"{SafeText.Show(addressText)} is not an IPv4 or IPv6 address; {Form}.";
        }

        if (prefixText.Length is 0 or > 3 || !int.TryParse(prefixText, NumberStyles.None, CultureInfo.InvariantCulture, out prefix))
        {
            return $"{SafeText.Show(prefixText)} is not a prefix length; {Form}.";
        }

        return AddressError(ip!) ?? PrefixError(ip!, prefix) ?? InterfaceError(name);
    }

    // IPAddress.TryParse also takes "10", "10.1" or "0x0a.1.2.3"; only the canonical forms are addresses here.
    private static bool TryParseAddress(string text, out IPAddress? ip)
    {
        if (text.IndexOf('%') >= 0 || !IPAddress.TryParse(text, out ip))
        {
            ip = null;
            return false;
        }

        if (ip.AddressFamily == AddressFamily.InterNetwork)
        {
            return string.Equals(ip.ToString(), text, StringComparison.Ordinal);
        }

        return ip.AddressFamily == AddressFamily.InterNetworkV6 && text.IndexOf(':') >= 0;
    }

    private static string? AddressError(IPAddress address)
    {
        var shown = address.ToString();
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            var bytes = address.GetAddressBytes();
            return bytes[0] switch
            {
                0 => $"{shown} is not a host address; give the unicast address clients reach the workload at.",
                127 => $"{shown} is a loopback address, which every host has of its own and cannot move; give an address on a network the hosts share.",
                >= 224 => $"{shown} is a multicast or reserved address; give a unicast address clients reach the workload at.",
                _ => null,
            };
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return $"{shown} is neither IPv4 nor IPv6.";
        }

        if (address.Equals(IPAddress.IPv6Any) || address.Equals(IPAddress.IPv6Loopback))
        {
            return $"{shown} is not a host address; give the unicast address clients reach the workload at.";
        }

        if (address.IsIPv4MappedToIPv6)
        {
            return $"{shown} is an IPv4 address written as IPv6; give it as IPv4 ({address.MapToIPv4()}).";
        }

        if (address.IsIPv6Multicast)
        {
            return $"{shown} is a multicast address; give a unicast address clients reach the workload at.";
        }

        return address.IsIPv6LinkLocal
            ? $"{shown} is link-local: each host derives its own, and it means nothing beyond one link; give a global or unique-local address (such as fd00::80)."
            : null;
    }

    private static string? PrefixError(IPAddress address, int prefixLength)
    {
        var bits = address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
        if (prefixLength < 1 || prefixLength > bits)
        {
            return $"The prefix length {prefixLength.ToString(CultureInfo.InvariantCulture)} is out of range; give 1-{bits.ToString(CultureInfo.InvariantCulture)} (the network's, such as /24).";
        }

        if (bits == 32 && prefixLength <= 30)
        {
            // The network's first and last addresses (network and broadcast) are no host's.
            var value = (uint)IPAddress.NetworkToHostOrder(BitConverter.ToInt32(address.GetAddressBytes(), 0));
            var hostMask = uint.MaxValue >> prefixLength;
            if ((value & hostMask) == 0 || (value & hostMask) == hostMask)
            {
                return $"{address}/{prefixLength.ToString(CultureInfo.InvariantCulture)} is the network's {((value & hostMask) == 0 ? "own" : "broadcast")} address; give a host address in it.";
            }
        }

        return null;
    }

    private static string? InterfaceError(string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return "The interface is missing; write the address as ADDRESS/PREFIX@INTERFACE, such as 10.0.0.80/24@eth0.";
        }

        if (name!.Length > MaxInterfaceLength)
        {
            return $"The interface name {SafeText.Show(name)} is {name.Length.ToString(CultureInfo.InvariantCulture)} characters long; Linux names have at most {MaxInterfaceLength.ToString(CultureInfo.InvariantCulture)}.";
        }

        if (name is "." or ".." || name[0] == '-')
        {
            return $"{SafeText.Show(name)} is not an interface name; give one such as eth0 or br0.";
        }

        foreach (var c in name)
        {
            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c is '_' or '-' or '.'))
            {
                return $"The interface name {SafeText.Show(name)} contains {SafeText.Describe(c)}; use letters, digits, '_', '-' and '.'.";
            }
        }

        return null;
    }
}
