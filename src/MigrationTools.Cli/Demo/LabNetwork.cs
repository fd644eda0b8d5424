using System.Globalization;

namespace MigrationTools.Cli.Demo;

/// <summary>The lab network as <c>lab.sh up</c> writes it to <c>&lt;state&gt;/lab.env</c>, as far as the demo needs it.</summary>
/// <param name="Prefix">The first three octets of the lab network.</param>
/// <param name="PrefixLength">Its prefix length.</param>
/// <param name="ServiceFirst">The last octet of the first address kept for services.</param>
/// <param name="ServiceLast">The last octet of the last one.</param>
/// <param name="EnterClient">The program that runs a command in the lab's client namespace.</param>
internal sealed record LabNetwork(string Prefix, int PrefixLength, int ServiceFirst, int ServiceLast, string EnterClient)
{
    /// <summary>The lab's network, or <see langword="null"/> for a lab brought up without one (no <c>lab.env</c>).</summary>
    public static LabNetwork? Read(string stateDirectory)
    {
        var path = Path.Combine(stateDirectory, "lab.env");
        if (!File.Exists(path))
        {
            return null;
        }

        var values = File.ReadAllLines(path).Select(l => l.Split('=', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0], p => p[1], StringComparer.Ordinal);
        static int LastOctet(string address) => int.Parse(address[(address.LastIndexOf('.') + 1)..], NumberStyles.None, CultureInfo.InvariantCulture);
        return new LabNetwork(
            values["LAB_NETWORK_PREFIX"], int.Parse(values["LAB_PREFIX_LENGTH"], NumberStyles.None, CultureInfo.InvariantCulture),
            LastOctet(values["LAB_SERVICE_FIRST"]), LastOctet(values["LAB_SERVICE_LAST"]), values["LAB_ENTER_CLIENT"]);
    }
}
