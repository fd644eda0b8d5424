using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;
using MigrationTools.Engine.Remote;

namespace MigrationTools.Engine.Transfer;

/// <summary>
/// The OpenSSH port forwards that relay a TCP port of one host to the other through the controller: on the hosts they
/// listen on 127.0.0.1 only, and on the controller on a Unix socket in its private ssh control directory, so no other
/// user of the controller can reach it and no controller port has to be found free. Every value is checked here,
/// before it reaches ssh's command line.
/// </summary>
internal static class PortForwarding
{
    /// <summary>The only address forwards listen on and connect to on the hosts.</summary>
    public const string Loopback = "127.0.0.1";

    /// <summary>sun_path holds 107 bytes plus NUL.</summary>
    private const int MaxSocketPathBytes = 107;

    private static readonly char[] Blanks = { ' ', '\t' };

    private static readonly Regex SocketNamePattern = new("^[a-z0-9][a-z0-9-]{0,47}$", RegexOptions.CultureInvariant);

    // ssh -R with port 0 logs "Allocated port N for remote forward to PATH:-2" (a Unix socket has no port).
    private static readonly Regex AllocatedPattern = new(
        "^Allocated port ([0-9]{1,5}) for remote forward to (.*)$", RegexOptions.CultureInvariant | RegexOptions.Multiline);

    /// <summary>Checks a TCP port given by a host or by CRIU before it is used.</summary>
    /// <param name="port">The port.</param>
    /// <param name="what">What the port is, for the message.</param>
    /// <returns><paramref name="port"/>.</returns>
    /// <exception cref="ArgumentOutOfRangeException">Not from 1 to 65535.</exception>
    public static int Port(int port, string what) =>
        port is >= 1 and <= 65535
            ? port
            : throw new ArgumentOutOfRangeException(nameof(port), port, $"{what} must be a TCP port from 1 to 65535.");

    /// <summary>The controller's socket for one relay: <c>DIRECTORY/pf-NAME.sock</c>.</summary>
    /// <param name="directory">The private ssh control directory (absolute).</param>
    /// <param name="name">Lower-case letters, digits and dashes, up to 48: what the relay belongs to.</param>
    /// <returns>The path.</returns>
    /// <exception cref="ArgumentException">The directory is relative or holds a character ssh's forward syntax cannot carry, the name is not of that form, or the path is too long for a Unix socket.</exception>
    public static string SocketPath(string directory, string name)
    {
        if (string.IsNullOrEmpty(directory) || directory[0] != '/')
        {
            throw new ArgumentException($"The directory of a forward's socket must be absolute, not {SafeText.Show(directory)}.", nameof(directory));
        }

        if (!SocketNamePattern.IsMatch(name ?? ""))
        {
            throw new ArgumentException($"A forward's name is lower-case letters, digits and dashes, not {SafeText.Show(name)}.", nameof(name));
        }

        var path = directory.TrimEnd('/') + "/pf-" + name + ".sock";
        // ssh splits a forward's specification at colons, and reads no quoting in it.
        if (path.Any(c => !(c is >= 'a' and <= 'z' or >= 'A' and <= 'Z' or >= '0' and <= '9' or '/' or '.' or '_' or '-')))
        {
            throw new ArgumentException(
                $"The forward's socket {SafeText.Show(path)} holds a character ssh's forward syntax cannot carry; use a control directory of letters, digits, '/', '.', '_' and '-'.",
                nameof(directory));
        }

        return System.Text.Encoding.UTF8.GetByteCount(path) <= MaxSocketPathBytes
            ? path
            : throw new ArgumentException(
                $"The forward's socket {SafeText.Show(path)} is longer than a Unix socket path may be; use a shorter ssh control directory.", nameof(directory));
    }

    /// <summary><c>-L SOCKET:127.0.0.1:PORT</c>: the controller's socket leads to <paramref name="port"/> on the host.</summary>
    /// <param name="socket">The controller's socket (<see cref="SocketPath"/>).</param>
    /// <param name="port">The port that listens on the host's 127.0.0.1.</param>
    /// <returns>The two arguments.</returns>
    public static IReadOnlyList<string> ToHost(string socket, int port) =>
        new[] { "-L", Checked(socket) + ":" + Loopback + ":" + Port(port, "The forwarded port").ToString(CultureInfo.InvariantCulture) };

    /// <summary>
    /// <c>-R 127.0.0.1:0:SOCKET</c>: a port on the host's 127.0.0.1, chosen free by its sshd, leads to the controller's
    /// socket. The port is learnt from ssh's log (<see cref="AllocatedPort"/>).
    /// </summary>
    /// <param name="socket">The controller's socket (<see cref="SocketPath"/>).</param>
    /// <returns>The two arguments.</returns>
    public static IReadOnlyList<string> FromHost(string socket) => new[] { "-R", Loopback + ":0:" + Checked(socket) };

    /// <summary>The port the host's sshd allocated for <see cref="FromHost"/>, read from ssh's standard error.</summary>
    /// <param name="standardError">What ssh wrote so far.</param>
    /// <param name="socket">The socket the forward leads to.</param>
    /// <returns>The port; <see langword="null"/> when ssh has not reported it yet.</returns>
    /// <exception cref="FormatException">ssh reported a port that is not one.</exception>
    public static int? AllocatedPort(string standardError, string socket)
    {
        foreach (Match match in AllocatedPattern.Matches(standardError ?? ""))
        {
            var target = match.Groups[2].Value.TrimEnd('\r');
            if (!target.StartsWith(socket + ":", StringComparison.Ordinal) && !string.Equals(target, socket, StringComparison.Ordinal))
            {
                continue;
            }

            var port = int.Parse(match.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture);
            return port is >= 1 and <= 65535 ? port : throw new FormatException($"ssh reported port {port} for a forward, which is no TCP port.");
        }

        return null;
    }

    /// <summary>
    /// The command that lists, on a host, the addresses its sockets listening on TCP port <paramref name="port"/> are
    /// bound to (<c>ss</c>): an sshd set to <c>GatewayPorts yes</c> binds a remote forward on every address whatever it
    /// was asked.
    /// </summary>
    /// <param name="port">The port.</param>
    /// <returns>The command.</returns>
    public static RemoteCommand ListenersCommand(int port) =>
        RemoteCommand.Create("ss", "-Hltn", "sport", "=", ":" + Port(port, "The forwarded port").ToString(CultureInfo.InvariantCulture));

    /// <summary>The local addresses in <c>ss -Hltn</c> output that are not loopback addresses.</summary>
    /// <param name="output">What <see cref="ListenersCommand"/> printed.</param>
    /// <returns>The addresses a forward must not listen on (empty when all are loopback).</returns>
    public static IReadOnlyList<string> NonLoopbackListeners(string output)
    {
        var found = new List<string>();
        foreach (var line in (output ?? "").Split('\n'))
        {
            var words = line.Split(Blanks, StringSplitOptions.RemoveEmptyEntries);
            if (words.Length < 4)
            {
                continue;
            }

            var local = words[3];
            var colon = local.LastIndexOf(':');
            var address = (colon > 0 ? local.Substring(0, colon) : local).Trim('[', ']');
            var zone = address.IndexOf('%');
            if (zone >= 0)
            {
                address = address.Substring(0, zone);
            }

            if (!(System.Net.IPAddress.TryParse(address, out var parsed) && System.Net.IPAddress.IsLoopback(parsed)))
            {
                found.Add(local);
            }
        }

        return found;
    }

    private static string Checked(string socket)
    {
        if (string.IsNullOrEmpty(socket) || socket[0] != '/' || !socket.EndsWith(".sock", StringComparison.Ordinal) ||
            socket.Any(c => !(c is >= 'a' and <= 'z' or >= 'A' and <= 'Z' or >= '0' and <= '9' or '/' or '.' or '_' or '-')))
        {
            throw new ArgumentException($"{SafeText.Show(socket)} is not a forward's socket path.", nameof(socket));
        }

        return socket;
    }
}
