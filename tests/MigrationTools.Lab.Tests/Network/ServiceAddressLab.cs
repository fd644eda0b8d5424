using System.Globalization;
using System.Text.Json;
using MigrationTools.Engine.Network;
using MigrationTools.Engine.Workloads;
using MigrationTools.Lab.Tests.Lab;
using MigrationTools.Lab.Tests.Migrations;
using MigrationTools.Lab.Tests.Workloads;

namespace MigrationTools.Lab.Tests.Network;

/// <summary>
/// The counter service bound to a service address of its own on the lab network (eth0, a free address from the range
/// the lab keeps for them, .200-.239), started on h1 through <see cref="WorkloadService"/> (which adds the address), and
/// read over the lab network from a host, as a client elsewhere sees it. Disposing removes the address from both hosts.
/// </summary>
internal sealed class ServiceAddressLab : IAsyncDisposable
{
    private readonly LabFixture _lab;

    private ServiceAddressLab(LabFixture lab, ServiceAddress address, CheckpointMode mode, HealthCheck? health, string interfaceName, bool linePort)
    {
        _lab = lab;
        Address = address;
        Migration = new MigrationLab(lab, service => Manifest(service, address, mode, health, interfaceName, linePort ? LinePortOf(service) : null));
        LinePort = linePort ? LinePortOf(Service) : null;
    }

    /// <summary>The counter's line port (persistent connections), when it serves one.</summary>
    public int? LinePort { get; }

    public ServiceAddress Address { get; }

    public MigrationLab Migration { get; }

    public CounterService Service => Migration.Service;

    /// <summary>A lab with a service address no host holds; <paramref name="interfaceName"/> other than eth0 declares it on an interface the hosts lack.</summary>
    public static async Task<ServiceAddressLab> CreateAsync(
        LabFixture lab, CheckpointMode mode = CheckpointMode.Criu, HealthCheck? health = null, string interfaceName = "eth0", bool linePort = false)
    {
        var own = (await lab.SshCheckedAsync("h1", "ip -o -4 addr show dev eth0")).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var cidr = own[Array.IndexOf(own, "inet") + 1];
        var prefix = cidr[..cidr.LastIndexOf('.')];
        var length = cidr[(cidr.IndexOf('/') + 1)..];
        while (true)
        {
            var address = ServiceAddress.Parse($"{prefix}.{Random.Shared.Next(200, 240).ToString(CultureInfo.InvariantCulture)}/{length}@{interfaceName}");
            var probe = ServiceAddress.Parse($"{address.Cidr}@eth0");
            if ((await HoldersAsync(lab, probe)).Length == 0)
            {
                return new ServiceAddressLab(lab, address, mode, health, interfaceName, linePort);
            }
        }
    }

    /// <summary>A health check that connects to the service on its address from the host it runs on.</summary>
    public static HealthCheck ReachableAt(string address, int port) =>
        HealthCheck.ForCommand(["bash", "-c", "exec 3<>\"/dev/tcp/$0/$1\"", address, port.ToString(CultureInfo.InvariantCulture)], 5);

    /// <summary>Creates the dataset on h1, declares the service there and starts it through the workload service; waits until it answers from h1.</summary>
    public async Task<CounterState> StartAsync()
    {
        await Service.CreateDatasetAsync("h1");
        using var h1 = _lab.Connect("h1");
        var service = new WorkloadService(new WorkloadHost(h1, Service.Paths));
        await service.RegisterAsync(Migration.Manifest, replace: false);
        await service.StartAsync(Service.Name);
        return await ReadAsync("h1");
    }

    /// <summary>The hosts whose eth0 holds the address with its prefix, as "h1", "h1 h2" or "".</summary>
    public Task<string> HeldByAsync() => HeldByAsync(_lab, Address);

    public static async Task<string> HeldByAsync(LabFixture lab, ServiceAddress address) => string.Join(' ', await HoldersAsync(lab, address));

    /// <summary>The counter's state read over the lab network from <paramref name="fromHost"/>, retried for up to 20 s.</summary>
    public async Task<CounterState> ReadAsync(string fromHost, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (true)
        {
            var result = await _lab.SshAsync(fromHost,
                $"exec 3<>/dev/tcp/{Address.Address}/{Service.Port.ToString(CultureInfo.InvariantCulture)} || exit 7; " +
                "printf 'GET / HTTP/1.0\\r\\n\\r\\n' >&3; timeout 3 cat <&3");
            var split = result.Text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            if (result.ExitCode == 0 && split >= 0 && result.Text.StartsWith("HTTP/1.0 200", StringComparison.Ordinal))
            {
                return JsonSerializer.Deserialize<CounterState>(result.Text[(split + 4)..])!;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new HttpRequestException(
                    $"{Address.Address}:{Service.Port} does not answer from {fromHost} (exit {result.ExitCode}): {result.StandardError.Trim()}");
            }

            await Task.Delay(200);
        }
    }

    /// <summary>The hardware address of <paramref name="host"/>'s eth0.</summary>
    public async Task<string> MacAsync(string host) => (await _lab.SshCheckedAsync(host, "cat /sys/class/net/eth0/address")).Trim();

    /// <summary>The hardware address <paramref name="host"/>'s neighbour table gives for the address, or "" when none.</summary>
    public async Task<string> NeighbourAsync(string host)
    {
        var words = (await _lab.SshCheckedAsync(host, $"ip neigh show to {Address.Address} dev eth0")).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var at = Array.IndexOf(words, "lladdr");
        return at >= 0 ? words[at + 1] : "";
    }

    public async ValueTask DisposeAsync()
    {
        await Migration.DisposeAsync();
        foreach (var host in new[] { "h1", "h2" })
        {
            await _lab.SshAsync(host, $"ip addr del {Address.Cidr} dev eth0 2>/dev/null; ip link set eth0 up; ip link del mtmv0 2>/dev/null; true");
        }
    }

    // Clear of the HTTP ports, which CounterService picks from 20000-29999.
    private static int LinePortOf(CounterService service) => service.Port + 10000;

    private static WorkloadManifest Manifest(
        CounterService service, ServiceAddress address, CheckpointMode mode, HealthCheck? health, string interfaceName, int? linePort)
    {
        var plain = service.ManifestWith(mode);
        var ip = address.Address.ToString();
        string[] line = linePort is { } port ? ["--line-port", port.ToString(CultureInfo.InvariantCulture)] : [];
        return new WorkloadManifest(
            plain.Name, plain.Datasets, plain.Command.Concat(["--address", interfaceName == "eth0" ? ip : "0.0.0.0"]).Concat(line), mode, plain.WorkingDirectory,
            plain.Environment, health ?? ReachableAt(interfaceName == "eth0" ? ip : "127.0.0.1", service.Port), plain.MigrationPolicy, [address]);
    }

    private static async Task<string[]> HoldersAsync(LabFixture lab, ServiceAddress address)
    {
        var holders = new List<string>();
        foreach (var host in new[] { "h1", "h2" })
        {
            var text = (await lab.SshCheckedAsync(host, "ip -o addr show dev eth0")).Replace('\\', ' ');
            if ($" {text} ".Contains($" {address.Cidr} ", StringComparison.Ordinal))
            {
                holders.Add(host);
            }
        }

        return [.. holders];
    }
}
