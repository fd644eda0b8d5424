using System.Globalization;
using System.Net;
using MigrationTools.Engine.Criu;
using MigrationTools.Engine.Workloads;
using MigrationTools.Lab.Tests.Lab;
using MigrationTools.Lab.Tests.Workloads;
using Xunit.Abstractions;

namespace MigrationTools.Lab.Tests.Criu;

/// <summary>
/// Established TCP connections through CRIU on the lab, at the CRIU layer: the counter serves on a service address that
/// the test moves itself with <c>ip</c>, and a probe in the lab's client namespace holds one connection to it.
/// </summary>
[Collection(LabCollection.Name)]
public sealed class CriuTcpEstablishedLabTests(LabFixture lab, ITestOutputHelper output)
{
    private static readonly CriuOptions TcpEstablished = new() { TcpEstablished = true };

    [LabFact]
    public async Task AnEstablishedConnectionSurvivesADumpOnH1AndARestoreOnH2()
    {
        await using var setup = await ServiceOnAddress.StartAsync(lab, "h1");
        using var h1 = lab.Connect("h1");
        using var h2 = lab.Connect("h2");
        var (criu1, criu2) = (new CriuHost(h1), new CriuHost(h2));
        using var probe = await LabProbe.StartAsync(setup.Network, setup.Address, setup.LinePort, setup.Service.Port);
        await Task.Delay(300);

        var dump = await criu1.DumpAsync(setup.DumpRequest(TcpEstablished));
        Assert.Equal(2, await setup.LockRulesAsync("h1"));
        await setup.RemoveAddressAsync("h1");
        await CriuImageShipment.RelayAsync(h1, setup.Images, h2, setup.Images, new Engine.Transfer.ProgressMeter(null));
        await setup.AddAddressAsync("h2");
        var restored = await criu2.RestoreAsync(CriuRestoreRequest.For(dump));
        await new WorkloadRuntime(h2, setup.Service.Paths).AdoptAsync(setup.Service.Name, restored.Process);
        // The restore on h2 tried to remove a lock that was never there; that is logged, and harmless.
        Assert.Equal(0, await setup.LockRulesAsync("h2"));
        await Task.Delay(500);

        // Killed with the lock in place, then the lock goes: the frozen tree never speaks to the client again.
        await Assert.ThrowsAsync<CriuException>(() => criu1.ReleaseNetworkLockAsync(dump.Process, setup.Images));
        Assert.Equal(WorkloadStopResult.Killed, await new WorkloadRuntime(h1, setup.Service.Paths).KillAsync(setup.Service.Name));
        // The line connection's two rules, and two more for each fresh request that was open at the dump.
        var released = await criu1.ReleaseNetworkLockAsync(dump.Process, setup.Images);
        Assert.True(released >= 2 && released % 2 == 0, $"released {released} rules");
        Assert.Equal(0, await setup.LockRulesAsync("h1"));
        Assert.Equal("0", (await lab.SshCheckedAsync("h1", "iptables -S | grep -c -e '-j DROP' || true")).Trim());
        Assert.Equal(0, await criu1.ReleaseNetworkLockAsync(dump.Process, setup.Images));
        await Task.Delay(500);

        var summary = await probe.StopAsync();
        Describe(summary);
        Assert.True(summary.ConnectionKept, "the established connection broke");
        Assert.Equal(0, summary.Established.Reconnects);
        Assert.Equal(0, summary.Established.Errors);
        Assert.Equal(["h1", "h2"], summary.Established.Hostnames);
        Assert.Equal("h2", summary.Fresh.Hostnames[^1]);
        Assert.True(summary.TokenStable);
        Assert.True(summary.CounterMonotonic);
        Assert.True(summary.Established.LongestGapMilliseconds < 10_000, $"the connection stalled for {summary.Established.LongestGapMilliseconds} ms");
    }

    [LabFact]
    public async Task ARolledBackSourceServesItsConnectionAgainOnceRestoredFromItsOwnImages()
    {
        await using var setup = await ServiceOnAddress.StartAsync(lab, "h1");
        using var h1 = lab.Connect("h1");
        var criu1 = new CriuHost(h1);
        var runtime1 = new WorkloadRuntime(h1, setup.Service.Paths);
        using var probe = await LabProbe.StartAsync(setup.Network, setup.Address, setup.LinePort, setup.Service.Port);
        await Task.Delay(300);

        var dump = await criu1.DumpAsync(setup.DumpRequest(TcpEstablished));
        Assert.Equal(2, await setup.LockRulesAsync("h1"));

        // A resume would leave the sockets in repair mode (the client sees a reset): kill and restore instead. The
        // restore on the host that holds the lock removes it.
        Assert.Equal(WorkloadStopResult.Killed, await runtime1.KillAsync(setup.Service.Name));
        var restored = await criu1.RestoreAsync(CriuRestoreRequest.For(dump));
        await runtime1.AdoptAsync(setup.Service.Name, restored.Process);
        Assert.Equal(0, await setup.LockRulesAsync("h1"));
        await Task.Delay(700);

        var summary = await probe.StopAsync();
        Describe(summary);
        Assert.True(summary.ConnectionKept, "the established connection broke");
        Assert.Equal(0, summary.Established.Errors);
        Assert.Equal(["h1"], summary.Established.Hostnames);
        Assert.True(summary.TokenStable);
        Assert.True(summary.CounterMonotonic);
        Assert.Equal(WorkloadState.Running, (await runtime1.GetStatusAsync(setup.Service.Name)).State);
    }

    [LabFact]
    public async Task WithoutTcpEstablishedAnOpenConnectionIsClosedAndTheListenerMovesWithoutALock()
    {
        await using var setup = await ServiceOnAddress.StartAsync(lab, "h1");
        using var h1 = lab.Connect("h1");
        using var h2 = lab.Connect("h2");
        var (criu1, criu2) = (new CriuHost(h1), new CriuHost(h2));
        using var probe = await LabProbe.StartAsync(setup.Network, setup.Address, setup.LinePort, setup.Service.Port);
        await Task.Delay(300);

        // --tcp-close: the tree is dumped although a client holds a connection, and nothing is locked.
        var dump = await criu1.DumpAsync(setup.DumpRequest(CriuOptions.Default));
        Assert.Equal(0, await setup.LockRulesAsync("h1"));
        await setup.RemoveAddressAsync("h1");
        await CriuImageShipment.RelayAsync(h1, setup.Images, h2, setup.Images, new Engine.Transfer.ProgressMeter(null));
        await setup.AddAddressAsync("h2");
        var restored = await criu2.RestoreAsync(CriuRestoreRequest.For(dump));
        await new WorkloadRuntime(h2, setup.Service.Paths).AdoptAsync(setup.Service.Name, restored.Process);
        await Task.Delay(1500);

        var during = await probe.StopAsync();
        Describe(during);
        Assert.False(during.ConnectionKept, "the connection held through the dump should have been closed");
        Assert.Equal("h2", during.Fresh.Hostnames[^1]);

        // The listening sockets moved: new connections, established or fresh, reach h2.
        using var after = await LabProbe.StartAsync(setup.Network, setup.Address, setup.LinePort, setup.Service.Port);
        await Task.Delay(300);
        var moved = await after.StopAsync();
        Describe(moved);
        Assert.Equal(["h2"], moved.Fresh.Hostnames);
        Assert.Equal(["h2"], moved.Established.Hostnames);
        Assert.Equal(0, moved.Fresh.Errors);
        Assert.True(moved.TokenStable);
    }

    private void Describe(ProbeSummary summary) =>
        output.WriteLine(
            $"established: {summary.Established.Replies} replies, longest gap {summary.Established.LongestGapMilliseconds} ms, " +
            $"errors {string.Join(",", summary.Established.ErrorsByKind.Select(e => e.Key + "=" + e.Value))}, hosts {string.Join(">", summary.Established.Hostnames)}; " +
            $"fresh: {summary.Fresh.Replies} replies, longest gap {summary.Fresh.LongestGapMilliseconds} ms, " +
            $"errors {string.Join(",", summary.Fresh.ErrorsByKind.Select(e => e.Key + "=" + e.Value))}, hosts {string.Join(">", summary.Fresh.Hostnames)}");

    /// <summary>
    /// The counter service started on a host, bound to a service address of its own on that host's eth0, with a line
    /// port; datasets on both hosts (the working directory must exist on h2), the counter's log carried with the images.
    /// Disposing kills what it started, removes the address from both hosts and any lock rules of its ports.
    /// </summary>
    private sealed class ServiceOnAddress : IAsyncDisposable
    {
        private readonly LabFixture _lab;

        private ServiceOnAddress(LabFixture lab)
        {
            _lab = lab;
            Network = LabEnvironment.Network;
            Service = new CounterService(lab);
            Address = Network.PickServiceAddress();
            LinePort = Service.Port + 10000;
            Images = CriuImageDirectory.ForWorkload(Service.Name);
        }

        public LabNetwork Network { get; }

        public CounterService Service { get; }

        public IPAddress Address { get; }

        public int LinePort { get; }

        public CriuImageDirectory Images { get; }

        private WorkloadProcess? Process { get; set; }

        public static async Task<ServiceOnAddress> StartAsync(LabFixture lab, string host)
        {
            var setup = new ServiceOnAddress(lab);
            try
            {
                await setup.Service.CreateDatasetAsync("h1");
                await setup.Service.CreateDatasetAsync("h2");
                await setup.AddAddressAsync(host);
                var directory = setup.Service.DataDirectory;
                var manifest = new WorkloadManifest(
                    setup.Service.Name, [setup.Service.Dataset],
                    ["python3", directory + "/counter.py", "--data-dir", directory, "--address", setup.Address.ToString(),
                     "--port", setup.Service.Port.ToString(CultureInfo.InvariantCulture), "--line-port", setup.LinePort.ToString(CultureInfo.InvariantCulture)],
                    CheckpointMode.Criu, directory);
                using var connection = lab.Connect(host);
                setup.Process = await new WorkloadRuntime(connection, setup.Service.Paths).StartAsync(manifest);
                return setup;
            }
            catch
            {
                await setup.DisposeAsync();
                throw;
            }
        }

        public CriuDumpRequest DumpRequest(CriuOptions options) => new(Process!, Images)
        {
            Options = options,
            CarriedFiles = [Service.Paths.OutputLog(Service.Name), Service.DataDirectory + "/counter.log"],
        };

        public async Task AddAddressAsync(string host) =>
            await _lab.SshCheckedAsync(host,
                $"ip addr add '{Address}/{Network.PrefixLength}' dev eth0 && arping -q -U -c 1 -I eth0 '{Address}'");

        public async Task RemoveAddressAsync(string host) => await _lab.SshCheckedAsync(host, $"ip addr del '{Address}/{Network.PrefixLength}' dev eth0");

        /// <summary>How many of CRIU's lock rules for the line port the host's iptables holds.</summary>
        public async Task<int> LockRulesAsync(string host) =>
            int.Parse((await _lab.SshCheckedAsync(host,
                $"iptables -S | grep -c -e '--sport {LinePort} .*-j DROP' -e '--dport {LinePort} .*-j DROP' || true")).Trim(), CultureInfo.InvariantCulture);

        public async ValueTask DisposeAsync()
        {
            await Service.CleanUpAsync(Images.Path);
            foreach (var host in new[] { "h1", "h2" })
            {
                await _lab.SshAsync(host,
                    $"ip addr del '{Address}/{Network.PrefixLength}' dev eth0 2>/dev/null; " +
                    $"iptables -S | grep -e '--sport {LinePort} ' -e '--dport {LinePort} ' | grep -- '-j DROP' | sed 's/^-A /-D /' | " +
                    "{ set -f; while read -r rule; do iptables $rule; done; }; true");
            }
        }
    }
}
