using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using MigrationTools.Engine.Remote;

namespace MigrationTools.Engine.Network;

/// <summary>
/// A workload's service addresses on one host, through its <see cref="SshConnection"/>: what the host holds and who
/// else answers them, adding them (and announcing the move to the network's neighbours) and deleting them. Each call is
/// one command for all the addresses, and each is idempotent: a claim adds only what is missing, a release deletes only
/// what is there, so a step run again after a crash converges.
/// </summary>
/// <remarks>
/// Announcing: IPv4 by gratuitous ARP (<c>arping -U</c>, iputils); IPv6 by an unsolicited neighbour advertisement with
/// the override flag, sent by a small python3 program over a raw ICMPv6 socket, since IPv6 has no arping and ndisc6 or
/// ndsend are rarely installed. A host lacking arping or python3 moves the address without announcing it; neighbours
/// then find the new host once their cached entry goes stale (seconds to a minute).
/// </remarks>
internal sealed class ServiceAddressHost
{
    /// <summary>Creates the host's view over <paramref name="connection"/>, which it uses but does not own.</summary>
    /// <param name="connection">The host's connection.</param>
    public ServiceAddressHost(SshConnection connection) => Connection = connection ?? throw new ArgumentNullException(nameof(connection));

    /// <summary>The connection commands run through.</summary>
    public SshConnection Connection { get; }

    private string Host => Connection.Destination.ToString();

    /// <summary>Reports each address's interface and whether the host holds it; with <paramref name="probe"/>, also who answers it on the network (about 2 s an address).</summary>
    /// <param name="addresses">The addresses.</param>
    /// <param name="probe">Ask the interface's network who answers each address.</param>
    /// <param name="cancellationToken">Stops the command.</param>
    /// <returns>One state per address, in order.</returns>
    /// <exception cref="ServiceAddressException">The host could not be asked.</exception>
    public async Task<IReadOnlyList<ServiceAddressState>> InspectAsync(
        IReadOnlyList<ServiceAddress> addresses, bool probe, CancellationToken cancellationToken = default)
    {
        if (addresses.Count == 0)
        {
            return Array.Empty<ServiceAddressState>();
        }

        var result = await Connection.ExecuteAsync(InspectCommand(addresses, probe), cancellationToken).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            throw new ServiceAddressException(
                $"The service addresses {Describe(addresses)} could not be inspected on {Host} (exit status {result.ExitCode}): " +
                RemoteException.Excerpt(result.StandardError), result.Host, result.Command, result.StandardError);
        }

        return ParseInspect(addresses, result.Text, Host);
    }

    /// <summary>
    /// Adds each address the host lacks and announces them all: once at once, and twice more in the background spaced
    /// past the neighbours' lock time, so the caller is not held up. An interface missing or down changes nothing.
    /// </summary>
    /// <param name="addresses">The addresses.</param>
    /// <param name="cancellationToken">Stops the command.</param>
    /// <returns>The addresses added now (those already held are not).</returns>
    /// <exception cref="ServiceAddressException">An interface is missing or down, or an address could not be added.</exception>
    public Task<IReadOnlyList<ServiceAddress>> ClaimAsync(IReadOnlyList<ServiceAddress> addresses, CancellationToken cancellationToken = default) =>
        ClaimAsync(addresses, holdConnections: false, cancellationToken);

    /// <summary>
    /// As <see cref="ClaimAsync(IReadOnlyList{ServiceAddress}, CancellationToken)"/>; with <paramref name="holdConnections"/>,
    /// segments of established connections to the addresses are dropped here until <see cref="OpenAsync"/>, so that
    /// connections about to be restored on this host are not reset by it first.
    /// </summary>
    /// <param name="addresses">The addresses.</param>
    /// <param name="holdConnections">Whether to hold established connections to them.</param>
    /// <param name="cancellationToken">Stops the command.</param>
    /// <returns>The addresses added now (those already held are not).</returns>
    /// <exception cref="ServiceAddressException">An interface is missing or down, or an address could not be added.</exception>
    public async Task<IReadOnlyList<ServiceAddress>> ClaimAsync(
        IReadOnlyList<ServiceAddress> addresses, bool holdConnections, CancellationToken cancellationToken = default)
    {
        if (addresses.Count == 0)
        {
            return Array.Empty<ServiceAddress>();
        }

        var result = await Connection.ExecuteAsync(ClaimCommand(addresses, holdConnections), cancellationToken).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            var why = RemoteException.Excerpt(result.StandardError);
            var fix = result.ExitCode switch
            {
                ServiceAddressScripts.InterfaceMissing => $"; nothing was changed. Create the interface on {Host}, or declare the address on an interface it has",
                ServiceAddressScripts.InterfaceDown => $"; nothing was changed. Bring the interface up on {Host} (ip link set dev IFACE up)",
                _ => "",
            };
            throw new ServiceAddressException(
                $"The service addresses {Describe(addresses)} could not be added on {Host}: {why}{fix}.", result.Host, result.Command, result.StandardError);
        }

        return ParseChanges(addresses, result.Text, "added", "present", Host);
    }

    /// <summary>Lets established connections to the addresses in again after a claim that held them.</summary>
    /// <param name="addresses">The addresses.</param>
    /// <param name="cancellationToken">Stops the command.</param>
    /// <returns>A task that completes when no hold is left.</returns>
    /// <exception cref="ServiceAddressException">The command failed.</exception>
    public async Task OpenAsync(IReadOnlyList<ServiceAddress> addresses, CancellationToken cancellationToken = default)
    {
        if (addresses.Count == 0)
        {
            return;
        }

        var result = await Connection.ExecuteAsync(Command(ServiceAddressScripts.Open, new[] { ServiceAddressScripts.InterfaceDirectory }, addresses), cancellationToken)
            .ConfigureAwait(false);
        if (!result.Succeeded)
        {
            throw new ServiceAddressException(
                $"The hold on connections to {Describe(addresses)} could not be lifted on {Host}: {RemoteException.Excerpt(result.StandardError)}.",
                result.Host, result.Command, result.StandardError);
        }
    }

    /// <summary>Deletes each address the host holds.</summary>
    /// <param name="addresses">The addresses.</param>
    /// <param name="cancellationToken">Stops the command.</param>
    /// <returns>The addresses deleted now.</returns>
    /// <exception cref="ServiceAddressException">An address could not be deleted.</exception>
    public async Task<IReadOnlyList<ServiceAddress>> ReleaseAsync(IReadOnlyList<ServiceAddress> addresses, CancellationToken cancellationToken = default)
    {
        if (addresses.Count == 0)
        {
            return Array.Empty<ServiceAddress>();
        }

        var result = await Connection.ExecuteAsync(ReleaseCommand(addresses), cancellationToken).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            throw new ServiceAddressException(
                $"The service addresses {Describe(addresses)} could not be removed on {Host}: {RemoteException.Excerpt(result.StandardError)}.",
                result.Host, result.Command, result.StandardError);
        }

        return ParseChanges(addresses, result.Text, "removed", "absent", Host);
    }

    /// <summary>A short description: the host.</summary>
    /// <returns>The description.</returns>
    public override string ToString() => "service addresses on " + Connection.Destination;

    /// <summary>The addresses as a list for a message.</summary>
    internal static string Describe(IEnumerable<ServiceAddress> addresses) => string.Join(", ", addresses.Select(a => a.ToString()));

    internal static RemoteCommand InspectCommand(IReadOnlyList<ServiceAddress> addresses, bool probe, string netDirectory = ServiceAddressScripts.InterfaceDirectory) =>
        Command(ServiceAddressScripts.Inspect, new[] { netDirectory, probe ? "probe" : "look", ServiceAddressScripts.Neighbour }, addresses);

    internal static RemoteCommand ClaimCommand(
        IReadOnlyList<ServiceAddress> addresses, bool holdConnections = false, string netDirectory = ServiceAddressScripts.InterfaceDirectory) =>
        Command(
            ServiceAddressScripts.Claim,
            new[] { netDirectory, ServiceAddressScripts.Announce, ServiceAddressScripts.Neighbour, holdConnections ? "hold" : "open" },
            addresses);

    internal static RemoteCommand ReleaseCommand(IReadOnlyList<ServiceAddress> addresses, string netDirectory = ServiceAddressScripts.InterfaceDirectory) =>
        Command(ServiceAddressScripts.Release, new[] { netDirectory }, addresses);

    /// <summary>The words after a script's own parameters: family, interface, address and prefix length of each address.</summary>
    internal static IEnumerable<string> AddressWords(IEnumerable<ServiceAddress> addresses) =>
        addresses.SelectMany(a => new[]
        {
            a.IsIPv6 ? "6" : "4", a.InterfaceName, a.Address.ToString(), a.PrefixLength.ToString(CultureInfo.InvariantCulture),
        });

    /// <summary>Reads the inspect script's output: one <c>address</c> line per address, each followed by its answers.</summary>
    internal static IReadOnlyList<ServiceAddressState> ParseInspect(IReadOnlyList<ServiceAddress> addresses, string output, string host)
    {
        var states = new List<ServiceAddressState>();
        ServiceAddressState? current = null;
        var answers = new List<string>();
        void Finish()
        {
            if (current is not null)
            {
                states.Add(current with { Answers = answers.ToArray() });
                answers.Clear();
                current = null;
            }
        }

        foreach (var line in output.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0))
        {
            var words = line.Split(' ');
            switch (words[0])
            {
                case "address" when words.Length == 6:
                    Finish();
                    if (states.Count >= addresses.Count || words[1] != addresses[states.Count].Cidr || words[2] != addresses[states.Count].InterfaceName
                        || words[5] is not ("held" or "free"))
                    {
                        throw Unreadable(line, host);
                    }

                    current = new ServiceAddressState(
                        addresses[states.Count], State(words[3], line, host), Mac(words[4]), words[5] == "held", Array.Empty<string>(), null);
                    break;
                case "answer" when words.Length == 2 && current is not null:
                    answers.Add(Mac(words[1].Trim('[', ']')) ?? throw Unreadable(line, host));
                    break;
                case "unprobed" when words.Length == 2 && current is not null:
                    current = current with { Unprobed = words[1] };
                    break;
                default:
                    throw Unreadable(line, host);
            }
        }

        Finish();
        return states.Count == addresses.Count
            ? states
            : throw new FormatException($"Inspecting the service addresses on {host} reported {states.Count} of {addresses.Count} addresses.");
    }

    /// <summary>Reads a claim's or release's output: <c>WORD CIDR IFACE</c> per address; returns those marked <paramref name="changed"/>.</summary>
    internal static IReadOnlyList<ServiceAddress> ParseChanges(IReadOnlyList<ServiceAddress> addresses, string output, string changed, string unchanged, string host)
    {
        var lines = output.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).ToArray();
        if (lines.Length != addresses.Count)
        {
            throw new FormatException($"The service address command on {host} printed {SafeText.Show(output.Trim())}, not one line per address.");
        }

        var result = new List<ServiceAddress>();
        for (var k = 0; k < lines.Length; k++)
        {
            var words = lines[k].Split(' ');
            if (words.Length != 3 || words[1] != addresses[k].Cidr || words[2] != addresses[k].InterfaceName || (words[0] != changed && words[0] != unchanged))
            {
                throw Unreadable(lines[k], host);
            }

            if (words[0] == changed)
            {
                result.Add(addresses[k]);
            }
        }

        return result;
    }

    private static RemoteCommand Command(string script, IEnumerable<string> parameters, IReadOnlyList<ServiceAddress> addresses) =>
        RemoteCommand.Create(new[] { "sh", "-c", script, "sh" }.Concat(parameters).Concat(AddressWords(addresses)));

    private static InterfaceState State(string word, string line, string host) => word switch
    {
        "missing" => InterfaceState.Missing,
        "down" => InterfaceState.Down,
        "up" => InterfaceState.Up,
        _ => throw Unreadable(line, host),
    };

    /// <summary>A hardware address in lower case; <see langword="null"/> for <c>-</c> or anything that is not one.</summary>
    private static string? Mac(string word)
    {
        var parts = word.Split(':');
        return parts.Length >= 6 && parts.All(p => p.Length == 2 && p.All(Uri.IsHexDigit)) ? word.ToLowerInvariant() : null;
    }

    private static FormatException Unreadable(string line, string host) =>
        new($"The service address command on {host} printed {SafeText.Show(line)}, which it never prints.");
}
