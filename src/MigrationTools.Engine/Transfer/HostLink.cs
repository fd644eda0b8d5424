using System;
using System.Collections.Generic;
using System.Globalization;
using System.Net;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using MigrationTools.Engine.Remote;

namespace MigrationTools.Engine.Transfer;

/// <summary>
/// Finds how a source host reaches a destination host directly, for transfers that do not go through ssh (CRIU's page
/// server and lazy pages): the destination's address as the source's own ssh would reach it, and the source's own
/// address toward it. The controller's view does not count: it may reach the hosts by other names or through a proxy.
/// </summary>
internal static class HostLink
{
    /// <summary>
    /// $1.. the <c>ssh -G</c> arguments naming the destination. Prints <c>link NAME ADDRESS SOURCE</c>, or
    /// <c>noname</c>, <c>noaddress NAME</c>, <c>noroute NAME ADDRESS BASE64-OUTPUT</c>.
    /// </summary>
    internal const string Script = """
        h=$(ssh -G "$@" 2>/dev/null | sed -n 's/^hostname //p' | head -n 1)
        [ -n "$h" ] || { echo noname; exit 0; }
        a=$(getent ahosts "$h" 2>/dev/null | awk '$2 == "STREAM" { print $1; exit }')
        [ -n "$a" ] || { echo "noaddress $h"; exit 0; }
        r=$(ip -o route get "$a" 2>&1)
        s=$(printf '%s\n' "$r" | sed -n 's/^.* src \([^ ]*\).*$/\1/p' | head -n 1)
        [ -n "$s" ] || { echo "noroute $h $a $(printf '%s' "$r" | base64 -w0)"; exit 0; }
        echo "link $h $a $s"
        """;

    /// <summary>Resolves, on <paramref name="source"/>, how it reaches <paramref name="destination"/>.</summary>
    /// <param name="source">The source host's connection.</param>
    /// <param name="destination">The destination as the source names it (its own ssh_config applies).</param>
    /// <param name="cancellationToken">Stops the command.</param>
    /// <returns>Both addresses.</returns>
    /// <exception cref="RemoteException">The source cannot resolve or route to the destination; the message says what to fix.</exception>
    public static async Task<HostLinkAddresses> ResolveAsync(SshConnection source, SshDestination destination, CancellationToken cancellationToken = default)
    {
        if (source is null)
        {
            throw new ArgumentNullException(nameof(source));
        }

        var command = Command(destination ?? throw new ArgumentNullException(nameof(destination)));
        var result = await source.RunAsync(command, cancellationToken).ConfigureAwait(false);
        return Parse(source.Destination.ToString(), destination, result.Text, command.CommandLine);
    }

    /// <summary>The command that resolves <paramref name="destination"/> on the source.</summary>
    internal static RemoteCommand Command(SshDestination destination)
    {
        var argv = new List<string> { "sh", "-c", Script, "sh" };
        if (destination.Port is { } port)
        {
            argv.Add("-p");
            argv.Add(port.ToString(CultureInfo.InvariantCulture));
        }

        if (destination.User is { } user)
        {
            argv.Add("-l");
            argv.Add(user);
        }

        argv.Add("--");
        argv.Add(destination.Host);
        return RemoteCommand.Create(argv);
    }

    /// <summary>Reads what <see cref="Script"/> printed on <paramref name="host"/>.</summary>
    internal static HostLinkAddresses Parse(string host, SshDestination destination, string output, string? command)
    {
        var words = (output ?? "").Trim().Split(' ');
        var peer = destination.Host;
        string problem;
        switch (words[0])
        {
            case "link" when words.Length == 4 && IPAddress.TryParse(words[2], out var address) && IPAddress.TryParse(words[3], out var own):
                return new HostLinkAddresses(own, address);
            case "noname":
                problem = $"ssh -G {peer} on {host} names no host; check {host}'s ssh_config.";
                break;
            case "noaddress" when words.Length >= 2:
                problem = $"{host} cannot resolve {SafeText.Show(words[1])} (the host name its ssh uses for {peer}); add it to {host}'s /etc/hosts or DNS, or set HostName to an address in its ssh_config.";
                break;
            case "noroute" when words.Length >= 3:
                var said = words.Length >= 4 ? Decode(words[3]).Trim() : "";
                problem = $"{host} has no route to {SafeText.Show(words[2])} ({peer}){(said.Length > 0 ? ": " + RemoteException.Excerpt(said, 300) : "")}; give it a route to {peer}.";
                break;
            default:
                problem = $"finding how {host} reaches {peer} printed {SafeText.Show(output?.Trim())}.";
                break;
        }

        return Throw(host, command, $"{host} cannot reach {peer} directly for the memory transfer: {problem}");
    }

    private static string Decode(string base64)
    {
        try
        {
            return Encoding.UTF8.GetString(Convert.FromBase64String(base64));
        }
        catch (FormatException)
        {
            return base64;
        }
    }

    private static HostLinkAddresses Throw(string host, string? command, string message) =>
        throw new RemoteException(message, host, command, "");
}
