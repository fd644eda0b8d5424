using System.Globalization;
using System.Net;
using MigrationTools.Engine.Network;

namespace MigrationTools.Bench;

/// <summary>
/// The lab network as <c>lab.sh up</c> writes it to <c>&lt;state&gt;/lab.env</c>: the service-address range (which no host
/// holds at start) and the program that runs a command in the lab's client namespace. Hands out the range's addresses in
/// turn, each checked free on both hosts, so that one run never meets an address an earlier run left behind.
/// </summary>
internal sealed class BenchNetwork
{
    private readonly string _prefix;
    private readonly int _prefixLength;
    private readonly int _first;
    private readonly int _last;
    private int _next;

    private BenchNetwork(string prefix, int prefixLength, int first, int last, string enterClient)
    {
        (_prefix, _prefixLength, _first, _last, EnterClient) = (prefix, prefixLength, first, last, enterClient);
        _next = first;
    }

    /// <summary>The program that runs its arguments as a command in the client namespace.</summary>
    public string EnterClient { get; }

    public static BenchNetwork Read(string labEnv)
    {
        var values = File.ReadAllLines(labEnv)
            .Select(line => line.Split('=', 2))
            .Where(pair => pair.Length == 2)
            .ToDictionary(pair => pair[0], pair => pair[1], StringComparer.Ordinal);
        string Value(string name) => values.TryGetValue(name, out var value) ? value : throw new InvalidDataException($"{labEnv} has no {name}.");
        int LastOctet(string name) => IPAddress.Parse(Value(name)).GetAddressBytes()[3];
        var prefix = Value("LAB_NETWORK_PREFIX");
        // Checked here, as it reaches remote shells inside every address.
        _ = IPAddress.Parse(prefix + ".0");
        return new BenchNetwork(
            prefix, int.Parse(Value("LAB_PREFIX_LENGTH"), NumberStyles.None, CultureInfo.InvariantCulture),
            LastOctet("LAB_SERVICE_FIRST"), LastOctet("LAB_SERVICE_LAST"), Value("LAB_ENTER_CLIENT"));
    }

    /// <summary>The next address of the range that neither host's eth0 holds, as a service address on eth0.</summary>
    public async Task<ServiceAddress> NextFreeAsync(BenchLab lab)
    {
        for (var tried = 0; tried <= _last - _first; tried++)
        {
            var candidate = ServiceAddress.Parse(
                string.Create(CultureInfo.InvariantCulture, $"{_prefix}.{_next}/{_prefixLength}@eth0"));
            _next = _next == _last ? _first : _next + 1;
            var held = false;
            foreach (var host in new[] { lab.Options.Source, lab.Options.Target })
            {
                var addresses = (await lab.SshAsync(host, "ip -o -4 addr show dev eth0")).Split(' ', StringSplitOptions.RemoveEmptyEntries);
                held |= addresses.Contains(candidate.Cidr, StringComparer.Ordinal);
            }

            if (!held)
            {
                return candidate;
            }
        }

        throw new InvalidOperationException($"Every service address of {_prefix}.{_first}-{_last} is held by {lab.Options.Source} or {lab.Options.Target}.");
    }
}
