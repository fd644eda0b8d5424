using MigrationTools.Engine.Criu;
using MigrationTools.Engine.Migrations;
using MigrationTools.Engine.Placement;
using MigrationTools.Engine.Transfer;

namespace MigrationTools.Engine.Tests.Migrations;

/// <summary>What the settings alone rule out: post-copy's source must stay frozen and be resumable, pages go straight or through the controller.</summary>
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
    public async Task RelayedDataRelaysThePagesTooWithoutAskingTheHosts()
    {
        var route = await MemoryTransfers.RouteAsync(null!, new MigrationSettings { Path = TransferPath.Relay }, CancellationToken.None);

        Assert.True(route.Relayed);
        Assert.Null(route.Link);
        Assert.Null(route.Block);
    }

    [Fact]
    public void OnlyAStreamedChoiceOverTheRelaySaysThePagesAreRelayed()
    {
        var streamed = MemoryTransferChoice.Choose(MemoryTransfer.StopAndCopy, null, "no pre-copy.");
        var refused = MemoryTransferChoice.Choose(MemoryTransfer.PostCopy, "established connections are kept.", "no pre-copy.");
        var relay = new MigrationSettings { Path = TransferPath.Relay };

        Assert.Contains("relayed through the controller", MemoryTransfers.Described(streamed, relay).Reason, StringComparison.Ordinal);
        Assert.Equal(streamed, MemoryTransfers.Described(streamed, new MigrationSettings { Path = TransferPath.Direct }));
        Assert.Equal(refused, MemoryTransfers.Described(refused, relay));
    }
}
