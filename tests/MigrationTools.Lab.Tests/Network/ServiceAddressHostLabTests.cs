using System.Globalization;
using MigrationTools.Engine.Network;
using MigrationTools.Lab.Tests.Lab;

namespace MigrationTools.Lab.Tests.Network;

/// <summary>The service address commands on real hosts: IPv6 usable at once, probes that see the holder, and refusals that change nothing.</summary>
[Collection(LabCollection.Name)]
public sealed class ServiceAddressHostLabTests(LabFixture lab)
{
    [LabFact]
    public async Task AnIPv6AddressIsUsableAtOnceAnsweredFromItsHolderAndAnnouncedWhenItMoves()
    {
        var address = ServiceAddress.Parse($"fd00:81:{Random.Shared.Next(1, 0xffff).ToString("x", CultureInfo.InvariantCulture)}::80/64@eth0");
        using var h1 = lab.Connect("h1");
        using var h2 = lab.Connect("h2");
        var one = new ServiceAddressHost(h1);
        var two = new ServiceAddressHost(h2);
        try
        {
            Assert.Equal([address], await one.ClaimAsync([address]));
            Assert.Empty(await one.ClaimAsync([address]));
            var shown = await lab.SshCheckedAsync("h1", "ip -o -6 addr show dev eth0");
            Assert.Contains(address.Cidr, shown, StringComparison.Ordinal);
            Assert.DoesNotContain("tentative", shown, StringComparison.Ordinal);

            var mac1 = (await lab.SshCheckedAsync("h1", "cat /sys/class/net/eth0/address")).Trim();
            var seen = Assert.Single(await two.InspectAsync([address], probe: true));
            Assert.Equal(InterfaceState.Up, seen.Interface);
            Assert.False(seen.Held);
            Assert.Null(seen.Unprobed);
            Assert.Equal([mac1], seen.Answers);

            // A neighbour that still points the address elsewhere (a stale entry, as a client that talked to the old
            // holder has) is set right by the announcement alone, without asking.
            Assert.Equal([address], await one.ReleaseAsync([address]));
            await lab.SshCheckedAsync("h1", $"ip -6 neigh replace {address.Address} lladdr 02:00:00:00:00:01 dev eth0 nud stale");
            Assert.Equal([address], await two.ClaimAsync([address]));
            await Task.Delay(300);
            var mac2 = (await lab.SshCheckedAsync("h2", "cat /sys/class/net/eth0/address")).Trim();
            Assert.Contains("lladdr " + mac2, await lab.SshCheckedAsync("h1", $"ip -6 neigh show to {address.Address} dev eth0"), StringComparison.Ordinal);
            Assert.Empty(await one.ReleaseAsync([address]));
        }
        finally
        {
            await lab.SshAsync("h1", $"ip addr del {address.Cidr} dev eth0; ip -6 neigh del {address.Address} dev eth0; true");
            await lab.SshAsync("h2", $"ip addr del {address.Cidr} dev eth0; true");
        }
    }

    [LabFact]
    public async Task AnIPv4ClaimSetsNeighboursRightWithinTheLockTimeAndAfterIt()
    {
        var address = ServiceAddress.Parse($"10.0.81.{Random.Shared.Next(200, 240).ToString(CultureInfo.InvariantCulture)}/24@eth0");
        using var h1 = lab.Connect("h1");
        try
        {
            // An entry just changed is locked against updates for the lock time: the later announcements set it right.
            await lab.SshCheckedAsync("h2", $"ip neigh replace {address.Address} lladdr 02:00:00:00:00:01 dev eth0 nud stale");
            Assert.Equal([address], await new ServiceAddressHost(h1).ClaimAsync([address]));
            await Task.Delay(2500);

            var mac1 = (await lab.SshCheckedAsync("h1", "cat /sys/class/net/eth0/address")).Trim();
            Assert.Contains("lladdr " + mac1, await lab.SshCheckedAsync("h2", $"ip neigh show to {address.Address} dev eth0"), StringComparison.Ordinal);
        }
        finally
        {
            await lab.SshAsync("h1", $"ip addr del {address.Cidr} dev eth0; true");
            await lab.SshAsync("h2", $"ip neigh del {address.Address} dev eth0; true");
        }
    }

    [LabFact]
    public async Task AClaimOnAMissingInterfaceSaysSoAndChangesNothing()
    {
        var address = ServiceAddress.Parse("10.0.81.239/24@mt-nosuch0");
        var good = ServiceAddress.Parse("10.0.81.238/24@eth0");
        using var h1 = lab.Connect("h1");

        var error = await Assert.ThrowsAsync<ServiceAddressException>(() => new ServiceAddressHost(h1).ClaimAsync([good, address]));

        Assert.Contains("interface mt-nosuch0 does not exist", error.Message, StringComparison.Ordinal);
        Assert.Contains("nothing was changed", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("10.0.81.238/", await lab.SshCheckedAsync("h1", "ip -o addr show dev eth0"), StringComparison.Ordinal);
    }
}
