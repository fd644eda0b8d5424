using MigrationTools.Engine.Hooks;
using MigrationTools.Engine.Migrations;
using MigrationTools.Engine.Workloads;
using MigrationTools.Lab.Tests.Lab;
using MigrationTools.Lab.Tests.Migrations;
using Xunit.Abstractions;

namespace MigrationTools.Lab.Tests.Network;

/// <summary>
/// The counter service reached at a service address on the lab network: the address goes where the workload runs, is
/// held by one host at a time, and answers from that host; a migration that cannot move it is refused with nothing changed.
/// </summary>
[Collection(LabCollection.Name)]
public sealed class ServiceAddressLabTests(LabFixture lab, ITestOutputHelper output)
{
    [LabFact]
    public async Task ALiveMoveTakesTheAddressToH2WhereItAnswersAndUndoBringsItBack()
    {
        await using var a = await ServiceAddressLab.CreateAsync(lab);
        var first = await a.StartAsync();
        Assert.Equal("h1", first.Hostname);
        Assert.Equal("h1", await a.HeldByAsync());
        var progress = new ProgressLog();

        var switched = await a.Migration.Engine.MoveAsync(a.Migration.Request(), new MoveOptions { ConvergedBytes = 0, MaxSyncRounds = 1 }, progress);

        output.WriteLine($"downtime {switched.Downtime}");
        Assert.Equal(MigrationState.Switched, switched.State);
        Assert.Equal([a.Address], switched.ServiceAddresses);
        Assert.Equal("h2", await a.HeldByAsync());
        // Reached from h1 over the lab network: h1 no longer has the address, so it asks the network, and h2 answers.
        var moved = await a.ReadAsync("h1");
        Assert.Equal("h2", moved.Hostname);
        Assert.Equal(first.Token, moved.Token);
        Assert.True(moved.Counter >= first.Counter, "the counter went back");
        Assert.Equal(await a.MacAsync("h2"), await a.NeighbourAsync("h1"));
        Assert.Contains(progress.Items, p => p.Activity.StartsWith("Adding " + a.Address, StringComparison.Ordinal));

        var undone = await a.Migration.Engine.UndoAsync(switched.Id);

        Assert.Equal(MigrationState.RolledBack, undone.State);
        Assert.Equal("h1", await a.HeldByAsync());
        var back = await a.ReadAsync("h2");
        Assert.Equal("h1", back.Hostname);
        Assert.Equal(first.Token, back.Token);
        Assert.Equal(await a.MacAsync("h1"), await a.NeighbourAsync("h2"));
    }

    [LabFact]
    public async Task AFailingHealthCheckRollsBackWithTheAddressOnH1()
    {
        var onlyOnH1 = HealthCheck.ForCommand(["sh", "-c", "test \"$(hostname)\" = h1"], 3);
        await using var a = await ServiceAddressLab.CreateAsync(lab, health: onlyOnH1);
        var first = await a.StartAsync();

        var failure = await Assert.ThrowsAsync<MigrationFailedException>(() => a.Migration.Engine.MoveAsync(a.Migration.Request()));

        output.WriteLine(failure.Message);
        Assert.True(failure.RolledBack);
        Assert.Contains("did not become healthy on h2", failure.Record!.LastError, StringComparison.Ordinal);
        Assert.Equal("h1", await a.HeldByAsync());
        var back = await a.ReadAsync("h2");
        Assert.Equal("h1", back.Hostname);
        Assert.Equal(first.Token, back.Token);
    }

    [LabFact]
    public async Task InRestartModeTheAddressMovesAndANewConnectionReachesH2()
    {
        await using var a = await ServiceAddressLab.CreateAsync(lab, CheckpointMode.Restart);
        await a.StartAsync();

        var switched = await a.Migration.Engine.MoveAsync(a.Migration.Request(), new MoveOptions { ConvergedBytes = 0, MaxSyncRounds = 1 });

        Assert.Equal(MigrationState.Switched, switched.State);
        Assert.Equal("h2", await a.HeldByAsync());
        Assert.Equal("h2", (await a.ReadAsync("h1")).Hostname);
        var completed = await a.Migration.Engine.CompleteAsync(switched.Id);
        Assert.Equal(MigrationState.Completed, completed.State);
        Assert.Equal("h2", await a.HeldByAsync());
    }

    [LabFact]
    public async Task StoppingTheWorkloadReleasesItsAddressAndStartingClaimsItAgain()
    {
        await using var a = await ServiceAddressLab.CreateAsync(lab);
        await a.StartAsync();
        using var h1 = lab.Connect("h1");
        var service = new WorkloadService(new WorkloadHost(h1, a.Service.Paths));

        await service.StopAsync(a.Service.Name, 2);
        Assert.Equal("", await a.HeldByAsync());

        await service.StartAsync(a.Service.Name);
        Assert.Equal("h1", await a.HeldByAsync());
        Assert.Equal("h1", (await a.ReadAsync("h2")).Hostname);
    }

    [LabFact]
    public async Task AbortLeavesTheAddressOnTheSource()
    {
        await using var a = await ServiceAddressLab.CreateAsync(lab);
        await a.StartAsync();
        var begun = await a.Migration.Engine.BeginAsync(a.Migration.Request());

        var aborted = await a.Migration.Engine.AbortAsync(begun.Id);

        Assert.Equal(MigrationState.Aborted, aborted.State);
        Assert.Equal("h1", await a.HeldByAsync());
        Assert.Equal("h1", (await a.ReadAsync("h2")).Hostname);
    }

    public static TheoryData<string> Takers() => ["held by h2", "answered by another machine"];

    [LabTheory]
    [MemberData(nameof(Takers))]
    public async Task AnAddressTakenOnTheDestinationsNetworkIsRefusedAndNothingChanges(string taker)
    {
        await using var a = await ServiceAddressLab.CreateAsync(lab);
        await a.StartAsync();
        // Another machine: a macvlan interface of h1's with a hardware address of its own, not the source's eth0.
        var take = taker == "held by h2"
            ? lab.SshCheckedAsync("h2", $"ip addr add {a.Address.Cidr} dev eth0")
            : lab.SshCheckedAsync("h1", $"ip link add mtmv0 link eth0 type macvlan mode bridge && ip addr add {a.Address.Cidr} dev mtmv0 && ip link set mtmv0 up");
        await take;

        var refused = await Assert.ThrowsAsync<MigrationRefusedException>(() => a.Migration.Engine.BeginAsync(a.Migration.Request()));

        output.WriteLine(refused.Message);
        Assert.Contains(MigrationChecks.ServiceAddressFree, refused.Message, StringComparison.Ordinal);
        Assert.Contains(taker == "held by h2" ? "h2 already holds the service address " + a.Address : "is already answered on h2's network by", refused.Message, StringComparison.Ordinal);
        Assert.Empty(a.Migration.Engine.Journal.List().Records);
        Assert.Equal(taker == "held by h2" ? "h1 h2" : "h1", await a.HeldByAsync());
        Assert.Equal(WorkloadState.Running, (await a.Migration.StatusAsync("h1")).State);
    }

    [LabFact]
    public async Task AnAddressTakenBetweenBeginAndSwitchRefusesTheSwitchBeforeTheFreeze()
    {
        await using var a = await ServiceAddressLab.CreateAsync(lab);
        var first = await a.StartAsync();
        var begun = await a.Migration.Engine.BeginAsync(a.Migration.Request());
        await lab.SshCheckedAsync("h2", $"ip addr add {a.Address.Cidr} dev eth0");

        var refused = await Assert.ThrowsAsync<MigrationRefusedException>(() => a.Migration.Engine.SwitchAsync(begun.Id));

        output.WriteLine(refused.Message);
        Assert.Contains("was refused; nothing was changed", refused.Message, StringComparison.Ordinal);
        Assert.Contains("h2 already holds the service address " + a.Address, refused.Message, StringComparison.Ordinal);
        Assert.Equal(MigrationState.Begun, a.Migration.Engine.Get(begun.Id).State);
        Assert.Equal(WorkloadState.Running, (await a.Migration.StatusAsync("h1")).State);
        await lab.SshCheckedAsync("h2", $"ip addr del {a.Address.Cidr} dev eth0");
        Assert.Equal(first.Token, (await a.ReadAsync("h2")).Token);
    }

    [LabFact]
    public async Task APlanTestedWithOtherServiceAddressesIsRefusedAtBegin()
    {
        await using var a = await ServiceAddressLab.CreateAsync(lab);
        await a.StartAsync();
        var plan = await a.Migration.Engine.TestAsync(a.Migration.Request());
        Assert.Equal([a.Address], plan.ServiceAddresses);
        using (var h1 = lab.Connect("h1"))
        {
            var declared = a.Migration.Manifest;
            await new WorkloadService(new WorkloadHost(h1, a.Service.Paths)).RegisterAsync(
                new WorkloadManifest(declared.Name, declared.Datasets, declared.Command, declared.CheckpointMode, declared.WorkingDirectory,
                    declared.Environment, declared.HealthCheck, declared.MigrationPolicy),
                replace: true);
        }

        var refused = await Assert.ThrowsAsync<MigrationRefusedException>(() => a.Migration.Engine.BeginAsync(a.Migration.Request() with { Plan = plan }));

        Assert.Contains($"service addresses {a.Address} then, none now", refused.Message, StringComparison.Ordinal);
        Assert.Empty(a.Migration.Engine.Journal.List().Records);
    }

    [LabFact]
    public async Task AnAddressOnAnInterfaceTheDestinationLacksIsRefused()
    {
        await using var a = await ServiceAddressLab.CreateAsync(lab, interfaceName: "mt-nosuch0");
        await a.Migration.StartAsync();

        var refused = await Assert.ThrowsAsync<MigrationRefusedException>(() => a.Migration.Engine.BeginAsync(a.Migration.Request()));

        output.WriteLine(refused.Message);
        Assert.Contains($"The service address {a.Address} lives on mt-nosuch0, which h2 does not have", refused.Message, StringComparison.Ordinal);
        Assert.Empty(a.Migration.Engine.Journal.List().Records);
        Assert.Equal(WorkloadState.Running, (await a.Migration.StatusAsync("h1")).State);
    }

    [LabFact]
    public async Task TheDestinationsLinkGoingDownDuringTheSwitchRollsBackWithTheAddressOnTheSource()
    {
        await using var a = await ServiceAddressLab.CreateAsync(lab);
        var first = await a.StartAsync();
        var linkDown = new CutoverHook(CutoverStage.BeforeFreeze, CutoverHookLocation.Destination, ["ip", "link", "set", "eth0", "down"]);
        var settings = MigrationLab.LabSettings with { Hooks = [linkDown] };
        var synced = await a.Migration.Engine.BeginAsync(a.Migration.Request(settings));

        var failure = await Assert.ThrowsAsync<MigrationFailedException>(() => a.Migration.Engine.SwitchAsync(synced.Id));

        output.WriteLine(failure.Message);
        Assert.True(failure.RolledBack);
        Assert.Contains("interface eth0 is down", failure.Message, StringComparison.Ordinal);
        Assert.Equal("h1", await a.HeldByAsync());
        Assert.Equal(WorkloadState.Running, (await a.Migration.StatusAsync("h1")).State);
        await lab.SshCheckedAsync("h2", "ip link set eth0 up");
        var back = await a.ReadAsync("h2");
        Assert.Equal("h1", back.Hostname);
        Assert.Equal(first.Token, back.Token);
    }

    [LabFact]
    public async Task KilledBetweenReleaseAndClaimTheSwitchRunAgainLeavesTheAddressOnH2Only()
    {
        await using var a = await ServiceAddressLab.CreateAsync(lab);
        var first = await a.StartAsync();
        var begun = await a.Migration.Engine.BeginAsync(a.Migration.Request());

        var run = await ControllerProcess.RunAndKillAsync(a.Migration, lab, "switch", begun.Id.Value, ControllerProcess.At("Switch", "Adding " + a.Address));
        output.WriteLine(string.Join(Environment.NewLine, run.Lines));
        Assert.True(run.Killed, "the switch never reported adding the address");
        output.WriteLine("held right after the kill by: " + await a.HeldByAsync());
        Assert.NotEqual("h1 h2", await a.HeldByAsync());

        var switched = await a.Migration.Engine.SwitchAsync(begun.Id);

        Assert.Equal(MigrationState.Switched, switched.State);
        Assert.Equal("h2", await a.HeldByAsync());
        var moved = await a.ReadAsync("h1");
        Assert.Equal("h2", moved.Hostname);
        Assert.Equal(first.Token, moved.Token);
    }
}
