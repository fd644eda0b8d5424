using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using MigrationTools.Engine.Migrations;
using MigrationTools.Engine.Network;
using MigrationTools.Engine.Preflight;

namespace MigrationTools.Engine.Phases;

/// <summary>
/// Whether a workload's service addresses can move to the destination, changing nothing: each address's interface
/// exists and is up there, the destination does not hold the address, and nobody but the source answers it on the
/// destination's network. Run before begin and again before a switch freezes the source, since time passes between.
/// </summary>
internal static class ServiceAddressPreflight
{
    /// <summary>Asks both hosts at once (the source for its interfaces' hardware addresses, the destination to probe its network).</summary>
    /// <returns>Two checks per address.</returns>
    public static async Task<IReadOnlyList<PreflightCheck>> CheckAsync(
        MigrationHosts hosts, IReadOnlyList<ServiceAddress> addresses, CancellationToken cancellationToken)
    {
        if (addresses.Count == 0)
        {
            return Array.Empty<PreflightCheck>();
        }

        var source = new ServiceAddressHost(hosts.SourceConnection).InspectAsync(addresses, probe: false, cancellationToken);
        var destination = new ServiceAddressHost(hosts.DestinationConnection).InspectAsync(addresses, probe: true, cancellationToken);
        await Task.WhenAll(source, destination).ConfigureAwait(false);
        return Verdicts(await source.ConfigureAwait(false), await destination.ConfigureAwait(false), hosts.SourceName, hosts.DestinationName);
    }

    /// <summary>The checks for each address from what the two hosts said about it.</summary>
    internal static IReadOnlyList<PreflightCheck> Verdicts(
        IReadOnlyList<ServiceAddressState> source, IReadOnlyList<ServiceAddressState> destination, string sourceName, string destinationName)
    {
        var checks = new List<PreflightCheck>();
        foreach (var (there, here) in destination.Zip(source, (d, s) => (d, s)))
        {
            var address = there.Address;
            var target = address.ToString();
            checks.Add(there.Interface switch
            {
                InterfaceState.Missing => PreflightCheck.Fail(MigrationChecks.ServiceAddressInterface,
                    $"The service address {address} lives on {address.InterfaceName}, which {destinationName} does not have; create it there, " +
                    "or declare the address on an interface both hosts have.", target),
                InterfaceState.Down => PreflightCheck.Fail(MigrationChecks.ServiceAddressInterface,
                    $"The service address {address} lives on {address.InterfaceName}, which is down on {destinationName}; bring it up there " +
                    $"(ip link set dev {address.InterfaceName} up) and try again.", target),
                _ => PreflightCheck.Pass(MigrationChecks.ServiceAddressInterface,
                    $"{destinationName} has {address.InterfaceName} up for {address.Address}.", target),
            });

            var others = there.AnswersOtherThan(here.InterfaceMac);
            string? fault = null;
            if (there.Held)
            {
                fault = $"{destinationName} already holds the service address {address}; remove it there " +
                    $"(ip address del {address.Cidr} dev {address.InterfaceName}) or find out what uses it, then try again.";
            }
            else if (others.Count > 0)
            {
                fault = $"The service address {address.Address} is already answered on {destinationName}'s network by {string.Join(", ", others)}, " +
                    $"which is not {sourceName}'s {address.InterfaceName} ({here.InterfaceMac ?? "unknown"}); another machine uses it. " +
                    "Free the address there, or give the workload another one.";
            }

            checks.Add(fault is not null
                ? PreflightCheck.Fail(MigrationChecks.ServiceAddressFree, fault, target)
                : PreflightCheck.Pass(MigrationChecks.ServiceAddressFree, there.Unprobed is { } why
                    ? $"{destinationName} does not hold {address.Address}; its network could not be asked who answers it ({why})."
                    : $"Nobody but {sourceName} answers {address.Address} on {destinationName}'s network.", target));
        }

        return checks;
    }
}
