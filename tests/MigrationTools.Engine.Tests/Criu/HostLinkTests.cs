using System.Net;
using MigrationTools.Engine.Remote;
using MigrationTools.Engine.Transfer;

namespace MigrationTools.Engine.Tests.Criu;

/// <summary>How a source host finds the destination's address and its own toward it, and what it says when it cannot.</summary>
public class HostLinkTests
{
    [Fact]
    public void TheDestinationIsNamedToSshAsTheSourceWouldReachIt()
    {
        Assert.Equal(["sh", "-c", HostLink.Script, "sh", "--", "h2"], HostLink.Command(SshDestination.Parse("h2")).Stages[0]);
        Assert.Equal(["sh", "-c", HostLink.Script, "sh", "-p", "2222", "-l", "mt", "--", "db.example"],
            HostLink.Command(SshDestination.Parse("mt@db.example:2222")).Stages[0]);
    }

    [Fact]
    public void ALinkGivesBothAddresses()
    {
        var link = HostLink.Parse("h1", SshDestination.Parse("h2"), "link 10.0.111.2 10.0.111.2 10.0.111.1\n", "cmd");

        Assert.Equal(new HostLinkAddresses(IPAddress.Parse("10.0.111.1"), IPAddress.Parse("10.0.111.2")), link);
        Assert.Equal(IPAddress.Parse("fd00::2"), HostLink.Parse("h1", SshDestination.Parse("h2"), "link h2.lab fd00::2 fd00::1", null).Destination);
    }

    [Theory]
    [InlineData("noname\n", "names no host; check h1's ssh_config")]
    [InlineData("noaddress h2.lab\n", "h1 cannot resolve 'h2.lab' (the host name its ssh uses for h2); add it to h1's /etc/hosts or DNS")]
    [InlineData("noroute h2 10.9.9.9 UlRORVRMSU5LIGFuc3dlcnM6IE5ldHdvcmsgaXMgdW5yZWFjaGFibGU=\n", "h1 has no route to '10.9.9.9' (h2): RTNETLINK answers: Network is unreachable; give it a route to h2.")]
    [InlineData("link h2 not-an-address 10.0.0.1\n", "printed")]
    public void ASourceThatCannotReachTheDestinationSaysWhatToFix(string output, string expected)
    {
        var error = Assert.Throws<RemoteException>(() => HostLink.Parse("h1", SshDestination.Parse("h2"), output, "cmd"));

        Assert.StartsWith("h1 cannot reach h2 directly for the memory transfer: ", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Equal("h1", error.Host);
    }
}
