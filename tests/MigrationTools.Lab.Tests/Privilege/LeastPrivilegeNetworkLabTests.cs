using MigrationTools.Engine.Criu;
using MigrationTools.Engine.Journal;
using MigrationTools.Engine.Migrations;
using MigrationTools.Engine.Phases;
using MigrationTools.Engine.Remote;
using MigrationTools.Lab.Tests.Lab;
using MigrationTools.Lab.Tests.Migrations;
using MigrationTools.Lab.Tests.Network;

namespace MigrationTools.Lab.Tests.Privilege;

/// <summary>
/// A service address and an established client connection moved by the engine logged in as migrator: the address
/// verbs and CRIU's network lock go through the helper, and the connection survives as it does on a root login.
/// </summary>
[Collection(LabCollection.Name)]
public sealed class LeastPrivilegeNetworkLabTests(LabFixture lab)
{
    [LabFact]
    public async Task TheServiceAddressAndAnEstablishedConnectionMoveThereAndBackAsMigrator()
    {
        await using var a = await ServiceAddressLab.CreateAsync(lab, linePort: true);
        await using var hosts = await PrivilegeHosts.InstallAsync(lab, a.Service.Paths);
        var m = a.Migration;
        var engine = new MigrationEngine(
            new MigrationJournal(m.JournalDirectory),
            new SshOptions { ConfigFile = m.SshConfigPath, ControlDirectory = m.ControlDirectory, HostHelper = hosts.Policy.HelperPath },
            a.Service.Paths);
        var first = await a.StartAsync();
        using var probe = await LabProbe.StartAsync(LabEnvironment.Network, a.Address.Address, a.LinePort!.Value, a.Service.Port);
        await Task.Delay(300);
        var settings = MigrationLab.LabSettings with { Checkpoint = new CriuOptions { TcpEstablished = true } };

        var switched = await engine.MoveAsync(
            new MigrationRequest(a.Service.Name, "m1", "m2") { Settings = settings }, new MoveOptions { ConvergedBytes = 0, MaxSyncRounds = 1 });
        Assert.Equal(MigrationState.Switched, switched.State);
        Assert.Equal("h2", await a.HeldByAsync());
        await Task.Delay(500);

        var undone = await engine.UndoAsync(switched.Id, keepChanges: true);
        Assert.Equal(MigrationState.RolledBack, undone.State);
        Assert.Equal("h1", await a.HeldByAsync());
        await Task.Delay(500);

        var summary = await probe.StopAsync();
        Assert.True(summary.ConnectionKept, "the established connection broke");
        Assert.Equal(0, summary.Established.Errors);
        Assert.Equal(["h1", "h2", "h1"], summary.Established.Hostnames);
        Assert.Equal([first.Token], summary.Established.Tokens);
        foreach (var host in new[] { "h1", "h2" })
        {
            Assert.Equal("0", (await lab.SshCheckedAsync(host, "iptables -S | grep -c -e '-j DROP' || true")).Trim());
        }
    }
}
