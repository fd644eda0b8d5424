using MigrationTools.Engine.Phases;
using MigrationTools.Engine.Remote;

namespace MigrationTools.Engine.Tests.Draining;

public sealed class HostConnectionsTests
{
    [Fact]
    public void MigrationsOnOneHostShareItsConnectionUntilTheLastLeaves()
    {
        var connections = new HostConnections(new SshOptions { ConfigFile = "/dev/null" });
        var h1 = SshDestination.Parse("h1");
        var leases = Enumerable.Range(0, HostConnections.MigrationsPerConnection).Select(_ => connections.Take(h1)).ToList();
        Assert.Single(leases.Select(l => l.Connection).Distinct());
        Assert.Equal(1, connections.OpenTo(h1));
        Assert.Equal(0, connections.OpenTo(SshDestination.Parse("h2")));

        // One more than a connection carries opens a second one.
        var extra = connections.Take(h1);
        Assert.DoesNotContain(extra.Connection, leases.Select(l => l.Connection));
        Assert.Equal(2, connections.OpenTo(h1));

        foreach (var lease in leases)
        {
            lease.Dispose();
        }

        Assert.Equal(1, connections.OpenTo(h1));
        extra.Dispose();
        extra.Dispose();
        Assert.Equal(0, connections.OpenTo(h1));
    }
}
