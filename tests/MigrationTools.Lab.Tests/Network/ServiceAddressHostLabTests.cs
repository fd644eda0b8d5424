using System.Globalization;
using MigrationTools.Engine.Migrations;
using MigrationTools.Engine.Network;
using MigrationTools.Engine.Workloads;
using MigrationTools.Lab.Tests.Lab;
using MigrationTools.Lab.Tests.Migrations;

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
    public async Task AServerListeningOnAnIPv6ServiceAddressMovesLiveAndIsReachedOnH2()
    {
        var net = "fd00:81:" + Random.Shared.Next(1, 0xffff).ToString("x", CultureInfo.InvariantCulture);
        var address = ServiceAddress.Parse(net + "::80/64@eth0");
        var client = net + "::1/64";
        await using var m = new MigrationLab(lab, service => new WorkloadManifest(
            service.Name, [service.Dataset],
            ["python3", "-m", "http.server", "--bind", address.Address.ToString(), "--directory", service.DataDirectory, service.Port.ToString(CultureInfo.InvariantCulture)],
            CheckpointMode.Criu, service.DataDirectory, null,
            HealthCheck.ForCommand(["bash", "-c", "exec 3<>\"/dev/tcp/$0/$1\"", address.Address.ToString(), service.Port.ToString(CultureInfo.InvariantCulture)], 5),
            MigrationPolicy.Allowed, [address]));
        var get = $"exec 3<>/dev/tcp/{address.Address}/{m.Service.Port.ToString(CultureInfo.InvariantCulture)} && " +
            "printf 'GET /counter.py HTTP/1.0\\r\\n\\r\\n' >&3 && timeout 3 head -n 1 <&3";
        try
        {
            await m.Service.CreateDatasetAsync("h1");
            using (var h1 = lab.Connect("h1"))
            {
                var service = new WorkloadService(new WorkloadHost(h1, m.Service.Paths));
                await service.RegisterAsync(m.Manifest, replace: false);
                await service.StartAsync(m.Service.Name);
            }

            await lab.SshCheckedAsync("h2", $"ip -6 addr add {client} dev eth0 nodad");
            Assert.StartsWith("HTTP/1.0 200", await RetryAsync("h2", get), StringComparison.Ordinal);

            var switched = await m.Engine.MoveAsync(m.Request(), new MoveOptions { ConvergedBytes = 0, MaxSyncRounds = 1 });

            Assert.Equal(MigrationState.Switched, switched.State);
            Assert.DoesNotContain(address.Cidr, await lab.SshCheckedAsync("h1", "ip -o -6 addr show dev eth0"), StringComparison.Ordinal);
            Assert.Contains(address.Cidr, await lab.SshCheckedAsync("h2", "ip -o -6 addr show dev eth0"), StringComparison.Ordinal);
            await lab.SshCheckedAsync("h2", $"ip -6 addr del {client} dev eth0");
            await lab.SshCheckedAsync("h1", $"ip -6 addr add {client} dev eth0 nodad");
            Assert.StartsWith("HTTP/1.0 200", await RetryAsync("h1", get), StringComparison.Ordinal);
            var mac2 = (await lab.SshCheckedAsync("h2", "cat /sys/class/net/eth0/address")).Trim();
            Assert.Contains("lladdr " + mac2, await lab.SshCheckedAsync("h1", $"ip -6 neigh show to {address.Address} dev eth0"), StringComparison.Ordinal);
        }
        finally
        {
            foreach (var host in new[] { "h1", "h2" })
            {
                await lab.SshAsync(host, $"ip -6 addr del {address.Cidr} dev eth0; ip -6 addr del {client} dev eth0; true");
            }
        }
    }

    private async Task<string> RetryAsync(string host, string commandLine)
    {
        for (var attempt = 0; ; attempt++)
        {
            var result = await lab.SshAsync(host, commandLine);
            if (result.ExitCode == 0 || attempt == 50)
            {
                return result.Text + result.StandardError;
            }

            await Task.Delay(200);
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
