using System.Globalization;
using System.Net;

namespace MigrationTools.Lab.Tests.Lab;

/// <summary>
/// The lab network's addresses as <c>lab.sh up</c> writes them to <c>&lt;state&gt;/lab.env</c>: hosts .1 up, service
/// addresses (which no host has at start, for tests to add to a host's eth0 and move) and the client namespace.
/// </summary>
/// <param name="Prefix">The first three octets, such as 10.0.71.</param>
/// <param name="PrefixLength">The network's prefix length (24).</param>
/// <param name="ServiceFirst">The first service address.</param>
/// <param name="ServiceLast">The last service address.</param>
/// <param name="ClientAddress">The client namespace's address.</param>
/// <param name="EnterClient">The program that runs a command in the client namespace.</param>
public sealed record LabNetwork(string Prefix, int PrefixLength, IPAddress ServiceFirst, IPAddress ServiceLast, IPAddress ClientAddress, string EnterClient)
{
    /// <summary>Reads <c>lab.env</c> from the lab's state directory; throws when the lab was not brought up by a lab.sh that writes it.</summary>
    public static LabNetwork Read(string stateDirectory)
    {
        var path = Path.Combine(stateDirectory, "lab.env");
        var values = File.ReadAllLines(path)
            .Select(line => line.Split('=', 2))
            .Where(pair => pair.Length == 2)
            .ToDictionary(pair => pair[0], pair => pair[1], StringComparer.Ordinal);
        string Value(string name) => values.TryGetValue(name, out var value) ? value : throw new InvalidDataException($"{path} has no {name}.");
        return new LabNetwork(
            Value("LAB_NETWORK_PREFIX"),
            int.Parse(Value("LAB_PREFIX_LENGTH"), CultureInfo.InvariantCulture),
            IPAddress.Parse(Value("LAB_SERVICE_FIRST")),
            IPAddress.Parse(Value("LAB_SERVICE_LAST")),
            IPAddress.Parse(Value("LAB_CLIENT_ADDRESS")),
            Value("LAB_ENTER_CLIENT"));
    }

    /// <summary>Every service address of the range, in order.</summary>
    public IReadOnlyList<IPAddress> ServiceAddresses
    {
        get
        {
            var first = ServiceFirst.GetAddressBytes()[3];
            var last = ServiceLast.GetAddressBytes()[3];
            return [.. Enumerable.Range(first, last - first + 1).Select(n => IPAddress.Parse($"{Prefix}.{n}"))];
        }
    }

    /// <summary>A service address picked at random from the range, so that a leftover of an earlier test rarely clashes.</summary>
    public IPAddress PickServiceAddress() => ServiceAddresses[Random.Shared.Next(ServiceAddresses.Count)];
}
