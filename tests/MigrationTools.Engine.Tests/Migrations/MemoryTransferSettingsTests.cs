using MigrationTools.Engine.Criu;
using MigrationTools.Engine.Migrations;
using MigrationTools.Engine.Placement;
using MigrationTools.Engine.Transfer;

namespace MigrationTools.Engine.Tests.Migrations;

/// <summary>What the settings alone rule out: post-copy's source must stay frozen and be resumable, pages need a direct path.</summary>
public class MemoryTransferSettingsTests
{
    [Fact]
    public void EndingTheSourceBeforeTheRestoreOrKeepingConnectionsRulesOutPostCopy()
    {
        var released = MemoryTransfers.SettingsBlockPostCopy(new MigrationSettings { ReleaseSourceBeforeRestore = true });
        var connections = MemoryTransfers.SettingsBlockPostCopy(new MigrationSettings { Checkpoint = new CriuOptions { TcpEstablished = true } });

        Assert.Contains("must stay frozen", released, StringComparison.Ordinal);
        Assert.Contains("established connections", connections, StringComparison.Ordinal);
        Assert.Null(MemoryTransfers.SettingsBlockPostCopy(new MigrationSettings()));
    }

    [Fact]
    public async Task RelayedDataKeepsPagesOffTheHostsLinkWithoutAskingTheHosts()
    {
        var block = await MemoryTransfers.StreamBlockAsync(null!, new MigrationSettings { Path = TransferPath.Relay }, CancellationToken.None);

        Assert.Contains("-Direct", block, StringComparison.Ordinal);
    }
}
