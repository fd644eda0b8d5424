using MigrationTools.Engine.Criu;
using MigrationTools.Engine.Migrations;
using MigrationTools.Lab.Tests.Lab;
using MigrationTools.Lab.Tests.Migrations;
using Xunit.Abstractions;

namespace MigrationTools.Lab.Tests.Network;

/// <summary>
/// Clients through live moves, as the engine does them: the counter service on a service address, a probe in the lab's
/// client namespace holding one connection to its line port and opening fresh ones, every 10 ms, all along.
/// </summary>
[Collection(LabCollection.Name)]
public sealed class EstablishedConnectionLabTests(LabFixture lab, ITestOutputHelper output)
{
    private static MigrationSettings Settings(bool tcpEstablished) =>
        MigrationLab.LabSettings with { Checkpoint = new CriuOptions { TcpEstablished = tcpEstablished } };

    [LabFact]
    public async Task WithTcpEstablishedTheClientsConnectionSurvivesTheMoveToH2AndTheUndoKeepingChangesBackToH1()
    {
        await using var a = await ServiceAddressLab.CreateAsync(lab, linePort: true);
        var first = await a.StartAsync();
        using var probe = await LabProbe.StartAsync(LabEnvironment.Network, a.Address.Address, a.LinePort!.Value, a.Service.Port);
        await Task.Delay(300);

        var switched = await a.Migration.Engine.MoveAsync(a.Migration.Request(Settings(tcpEstablished: true)), new MoveOptions { ConvergedBytes = 0, MaxSyncRounds = 1 });
        Assert.Equal(MigrationState.Switched, switched.State);
        Assert.Equal("h2", await a.HeldByAsync());
        await Task.Delay(500);

        var undone = await a.Migration.Engine.UndoAsync(switched.Id, keepChanges: true);
        Assert.Equal(MigrationState.RolledBack, undone.State);
        Assert.Equal("h1", await a.HeldByAsync());
        await Task.Delay(500);

        var summary = await probe.StopAsync();
        output.WriteLine($"downtime {switched.Downtime}; established: gap {summary.Established.LongestGapMilliseconds} ms, hosts " +
            $"{string.Join(">", summary.Established.Hostnames)}, errors {summary.Established.Errors}; fresh: gap {summary.Fresh.LongestGapMilliseconds} ms, " +
            $"errors {string.Join(", ", summary.Fresh.ErrorsByKind.Select(e => e.Key + " " + e.Value))}");
        Assert.True(summary.ConnectionKept, "the established connection broke");
        Assert.Equal(0, summary.Established.Reconnects);
        Assert.Equal(0, summary.Established.Errors);
        // The same connection was answered by h1, then h2, then h1 again: one process, moved twice.
        Assert.Equal(["h1", "h2", "h1"], summary.Established.Hostnames);
        Assert.Equal([first.Token], summary.Established.Tokens);
        Assert.True(summary.TokenStable);
        Assert.True(summary.CounterMonotonic, "the counter went back");
        Assert.Equal("h1", (await a.ReadAsync("h2")).Hostname);
        // No network lock is left behind on either host.
        foreach (var host in new[] { "h1", "h2" })
        {
            Assert.Equal("0", (await lab.SshCheckedAsync(host, "iptables -S | grep -c -e '-j DROP' || true")).Trim());
        }
    }

    [LabFact]
    public async Task WithTcpEstablishedCompleteEndsTheSourceWithoutDisturbingTheMovedConnection()
    {
        await using var a = await ServiceAddressLab.CreateAsync(lab, linePort: true);
        await a.StartAsync();
        using var probe = await LabProbe.StartAsync(LabEnvironment.Network, a.Address.Address, a.LinePort!.Value, a.Service.Port);
        await Task.Delay(300);

        var switched = await a.Migration.Engine.MoveAsync(a.Migration.Request(Settings(tcpEstablished: true)), new MoveOptions { ConvergedBytes = 0, MaxSyncRounds = 1 });
        Assert.Equal(MigrationState.Switched, switched.State);
        Assert.True(await LockRulesAsync("h1") > 0, "the source's frozen tree should hold CRIU's network lock until it is ended");
        var completed = await a.Migration.Engine.CompleteAsync(switched.Id);
        Assert.Equal(MigrationState.Completed, completed.State);
        Assert.Equal(0, await LockRulesAsync("h1"));
        await Task.Delay(1000);

        var summary = await probe.StopAsync();
        output.WriteLine($"downtime {switched.Downtime}; established gap {summary.Established.LongestGapMilliseconds} ms; fresh gap {summary.Fresh.LongestGapMilliseconds} ms");
        Assert.True(summary.ConnectionKept, "the established connection broke");
        Assert.Equal(["h1", "h2"], summary.Established.Hostnames);
        Assert.Equal("h2", summary.Fresh.Hostnames[^1]);
        Assert.True(summary.CounterMonotonic, "the counter went back");
    }

    [LabFact]
    public async Task WithoutTcpEstablishedTheListenerMovesAndTheEstablishedConnectionIsClosed()
    {
        await using var a = await ServiceAddressLab.CreateAsync(lab, linePort: true);
        var first = await a.StartAsync();
        using var probe = await LabProbe.StartAsync(LabEnvironment.Network, a.Address.Address, a.LinePort!.Value, a.Service.Port);
        await Task.Delay(300);

        var switched = await a.Migration.Engine.MoveAsync(a.Migration.Request(Settings(tcpEstablished: false)), new MoveOptions { ConvergedBytes = 0, MaxSyncRounds = 1 });
        Assert.Equal(MigrationState.Switched, switched.State);
        await Task.Delay(1500);

        var summary = await probe.StopAsync();
        output.WriteLine($"established: broken {summary.Established.Broken}, reconnects {summary.Established.Reconnects}, " +
            $"errors {string.Join(", ", summary.Established.ErrorsByKind.Select(e => e.Key + " " + e.Value))}; fresh gap {summary.Fresh.LongestGapMilliseconds} ms");
        // As documented: the connection held through the move is closed, and the client has to connect again...
        Assert.False(summary.ConnectionKept);
        Assert.True(summary.Established.Errors > 0);
        // ...to the same process, restored on h2 with its listening sockets.
        Assert.Equal("h2", summary.Fresh.Hostnames[^1]);
        Assert.Equal([first.Token], summary.Fresh.Tokens);
        var moved = await a.ReadAsync("h1");
        Assert.Equal("h2", moved.Hostname);
        Assert.Equal(first.Token, moved.Token);
    }

    private async Task<int> LockRulesAsync(string host) =>
        int.Parse((await lab.SshCheckedAsync(host, "iptables -S | grep -c -e '-j DROP' || true")).Trim(), System.Globalization.CultureInfo.InvariantCulture);
}
