using System;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace MigrationTools.Engine.Remote;

/// <summary>
/// Where ssh connects: a host name, address or ssh_config alias, with an optional user and port.
/// Every part is validated so that it can only ever reach ssh as a destination, never as an option
/// or as shell syntax.
/// </summary>
public sealed record SshDestination
{
    /// <summary>The longest host name accepted (the DNS limit).</summary>
    internal const int MaxHostLength = 253;

    /// <summary>The longest user name accepted.</summary>
    internal const int MaxUserLength = 64;

    /// <summary>Creates a destination from validated parts.</summary>
    /// <param name="host">A host name, an ssh_config alias, or an IPv4 or IPv6 address (without brackets).</param>
    /// <param name="user">The remote user; <see langword="null"/> leaves it to ssh_config or the local user name.</param>
    /// <param name="port">The port, 1-65535; <see langword="null"/> leaves it to ssh_config or 22.</param>
    /// <exception cref="ArgumentException">A part is invalid; the message names the fault and how to fix it.</exception>
    public SshDestination(string host, string? user = null, int? port = null)
    {
        Host = CheckHost(host, nameof(host));
        User = user is null ? null : CheckUser(user, nameof(user));
        if (port is { } number && (number < 1 || number > 65535))
        {
            throw new ArgumentException(
                $"The port {number} is out of range; give a port from 1 to 65535.", nameof(port));
        }

        Port = port;
    }

    /// <summary>The host name, alias or address (IPv6 without brackets).</summary>
    public string Host { get; }

    /// <summary>The remote user, when given.</summary>
    public string? User { get; }

    /// <summary>The port, when given.</summary>
    public int? Port { get; }

    /// <summary>True when <see cref="Host"/> is an IPv6 address.</summary>
    public bool IsIPv6 => Host.IndexOf(':') >= 0;

    /// <summary>
    /// Parses <c>[user@]host[:port]</c>, where host may be an ssh_config alias, a name, an IPv4 address, or an
    /// IPv6 address in brackets (<c>[::1]:22</c>; a bare IPv6 address without a port is also accepted).
    /// </summary>
    /// <param name="value">The destination text.</param>
    /// <returns>The destination.</returns>
    /// <exception cref="ArgumentException">The text is not a valid destination; the message names the fault and the fix.</exception>
    public static SshDestination Parse(string value)
    {
        if (value is null)
        {
            throw new ArgumentNullException(nameof(value));
        }

        var error = TryParseCore(value, out var destination);
        return destination ?? throw new ArgumentException(error, nameof(value));
    }

    /// <summary>Parses like <see cref="Parse"/> but returns false instead of throwing.</summary>
    /// <param name="value">The destination text.</param>
    /// <param name="destination">The destination, or <see langword="null"/> when the text is invalid.</param>
    /// <returns>True when <paramref name="value"/> is a valid destination.</returns>
    public static bool TryParse(string? value, out SshDestination? destination)
    {
        destination = null;
        return value is not null && TryParseCore(value, out destination) is null;
    }

    /// <summary>The destination as <c>[user@]host[:port]</c>, IPv6 in brackets when a port follows.</summary>
    /// <returns>Text that <see cref="Parse"/> reads back to an equal destination.</returns>
    public override string ToString()
    {
        var user = User is null ? "" : User + "@";
        if (Port is not { } port)
        {
            return user + Host;
        }

        var host = IsIPv6 ? "[" + Host + "]" : Host;
        return user + host + ":" + port.ToString(CultureInfo.InvariantCulture);
    }

    private static string? TryParseCore(string value, out SshDestination? destination)
    {
        destination = null;
        if (value.Length == 0)
        {
            return "The ssh destination is empty; give [user@]host[:port], such as 'root@server1' or 'server1:2222'.";
        }

        string? user = null;
        var rest = value;
        var at = value.IndexOf('@');
        if (at >= 0)
        {
            if (value.IndexOf('@', at + 1) >= 0)
            {
                return $"The ssh destination {SafeText.Show(value)} has more than one '@'; give [user@]host[:port].";
            }

            user = value.Substring(0, at);
            rest = value.Substring(at + 1);
            var userError = UserError(user);
            if (userError is not null)
            {
                return userError;
            }
        }

        string host;
        string? portText = null;
        if (rest.StartsWith("[", StringComparison.Ordinal))
        {
            var close = rest.IndexOf(']');
            if (close < 0)
            {
                return $"The ssh destination {SafeText.Show(value)} opens '[' without closing it; write an IPv6 address as [::1] or [::1]:22.";
            }

            host = rest.Substring(1, close - 1);
            var after = rest.Substring(close + 1);
            if (after.Length > 0)
            {
                if (after[0] != ':')
                {
                    return $"The ssh destination {SafeText.Show(value)} has text after ']' that is not ':port'; write [address]:port.";
                }

                portText = after.Substring(1);
            }

            if (!IsIPv6Address(host))
            {
                return $"{SafeText.Show(host)} in brackets is not an IPv6 address; brackets are only for IPv6 addresses such as [2001:db8::1].";
            }
        }
        else
        {
            var colons = CountOf(rest, ':');
            if (colons == 1)
            {
                var colon = rest.IndexOf(':');
                host = rest.Substring(0, colon);
                portText = rest.Substring(colon + 1);
            }
            else
            {
                // Several colons: a bare IPv6 address, which cannot carry a port without brackets.
                host = rest;
            }
        }

        var hostError = HostError(host);
        if (hostError is not null)
        {
            return hostError;
        }

        int? port = null;
        if (portText is not null)
        {
            var portError = PortError(portText, out var number);
            if (portError is not null)
            {
                return portError;
            }

            port = number;
        }

        destination = new SshDestination(host, user, port);
        return null;
    }

    private static string CheckHost(string host, string parameter)
    {
        if (host is null)
        {
            throw new ArgumentNullException(parameter);
        }

        var error = HostError(host);
        return error is null ? host : throw new ArgumentException(error, parameter);
    }

    private static string CheckUser(string user, string parameter)
    {
        var error = UserError(user);
        return error is null ? user : throw new ArgumentException(error, parameter);
    }

    internal static string? HostError(string host)
    {
        const string Fix = "give a host name, an ssh_config alias or an address, such as 'server1', 'db.example.com' or '192.0.2.10'";
        if (host.Length == 0)
        {
            return $"The host name is empty; {Fix}.";
        }

        if (host.Length > MaxHostLength)
        {
            return $"The host name {SafeText.Show(host)} is longer than {MaxHostLength} characters; {Fix}.";
        }

        if (host.IndexOf(':') >= 0)
        {
            return IsIPv6Address(host)
                ? null
                : $"The host {SafeText.Show(host)} contains ':' but is not an IPv6 address; write host:port as 'server1:2222' and IPv6 as '[2001:db8::1]:22'.";
        }

        if (host[0] == '-')
        {
            return $"The host name {SafeText.Show(host)} starts with '-', which ssh would read as an option; {Fix}.";
        }

        foreach (var c in host)
        {
            if (!IsHostChar(c))
            {
                return $"The host name {SafeText.Show(host)} contains {SafeText.Describe(c)}, which is not allowed in a host name; " +
                    $"use only letters, digits, '.', '-' and '_' ({Fix}).";
            }
        }

        if (host[0] == '.' || host[host.Length - 1] == '.' || host.IndexOf("..", StringComparison.Ordinal) >= 0)
        {
            return $"The host name {SafeText.Show(host)} has an empty label (a leading, trailing or doubled '.'); {Fix}.";
        }

        return null;
    }

    internal static string? UserError(string user)
    {
        const string Fix = "give a user name of letters, digits, '.', '-' and '_', such as 'root' or 'deploy'";
        if (user.Length == 0)
        {
            return $"The user name before '@' is empty; {Fix}, or leave out 'user@'.";
        }

        if (user.Length > MaxUserLength)
        {
            return $"The user name {SafeText.Show(user)} is longer than {MaxUserLength} characters; {Fix}.";
        }

        if (user[0] == '-')
        {
            return $"The user name {SafeText.Show(user)} starts with '-', which ssh would read as an option; {Fix}.";
        }

        foreach (var c in user)
        {
            if (!IsUserChar(c))
            {
                return $"The user name {SafeText.Show(user)} contains {SafeText.Describe(c)}, which is not allowed; {Fix}.";
            }
        }

        return null;
    }

    private static string? PortError(string text, out int port)
    {
        port = 0;
        const string Fix = "give a port number from 1 to 65535, such as 22 or 2222";
        if (text.Length == 0)
        {
            return $"The port after ':' is empty; {Fix}, or leave out ':port'.";
        }

        foreach (var c in text)
        {
            if (c < '0' || c > '9')
            {
                return $"The port {SafeText.Show(text)} is not a number; {Fix}.";
            }
        }

        if (text.Length > 5 || !int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out port) || port < 1 || port > 65535)
        {
            return $"The port {SafeText.Show(text)} is out of range; {Fix}.";
        }

        return null;
    }

    private static bool IsIPv6Address(string text)
    {
        foreach (var c in text)
        {
            // IPAddress also accepts a '%zone' suffix; a zone would reach ssh's %-token expansion, so none is allowed.
            var allowed = c is ':' or '.' || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
            if (!allowed)
            {
                return false;
            }
        }

        return IPAddress.TryParse(text, out var address) && address.AddressFamily == AddressFamily.InterNetworkV6;
    }

    private static bool IsHostChar(char c) =>
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c is '.' or '-' or '_';

    private static bool IsUserChar(char c) =>
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c is '.' or '-' or '_';

    private static int CountOf(string text, char c)
    {
        var count = 0;
        foreach (var x in text)
        {
            if (x == c)
            {
                count++;
            }
        }

        return count;
    }
}
