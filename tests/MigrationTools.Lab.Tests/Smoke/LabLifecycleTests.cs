using System.Text.Json;
using MigrationTools.Lab.Tests.Lab;

namespace MigrationTools.Lab.Tests.Smoke;

/// <summary>
/// `lab.sh up` twice, then `down`, on a second lab of its own (own state directory, beside the shared lab's):
/// up is idempotent, each host has a network of its own joined to the others by the lab's switch and the machine's
/// own network is left as it was, and down leaves no process, namespace, mount or per-host file behind.
/// </summary>
[Collection(LabCollection.Name)]
public sealed class LabLifecycleTests(LabFixture lab)
{
    // Nothing of a lab listens on its addresses (the controller enters the hosts), so only the state directory must be
    // this lab's own; the address picks its network, 10.0.41.0/24.
    private const string FirstAddress = "127.0.0.41";
    private const string LabNetwork = "10.0.41.0/24";

    private string StateDirectory => Path.GetDirectoryName(lab.SshConfigPath) + "-lifecycle";

    private Dictionary<string, string> Environment => new()
    {
        ["MT_LAB_STATE"] = StateDirectory,
        ["MT_LAB_FIRST_ADDRESS"] = FirstAddress,
        ["MT_LAB_HOSTS"] = "2",
        ["MT_LAB_POOL_SIZE"] = "512M",
    };

    [LabFact]
    public async Task UpTwiceThenDownLeavesNothingBehind()
    {
        await RunAsync("down");
        Assert.False(Directory.Exists(StateDirectory));
        var machineLinks = await MachineLinksAsync();

        await RunAsync("up");
        var first = await StatusAsync();
        await RunAsync("up");
        var second = await StatusAsync();

        Assert.Equal("up", first.State);
        Assert.Equal(2, first.Hosts.Count);
        Assert.Equal(first.Hosts.Select(h => h.Pid), second.Hosts.Select(h => h.Pid));
        Assert.All(first.Hosts, host => Assert.True(host.Running, $"{host.Name} does not answer"));
        Assert.True(Directory.Exists(StateDirectory));
        Assert.Equal(2, first.Hosts.Select(h => h.PidNamespace).Distinct().Count());

        // A network namespace per host and one for the switch, none of them the machine's; the machine's own
        // network gains no interface and no address of the lab's network.
        var ownNetwork = ReadLink("/proc/self/ns/net");
        var networks = first.Hosts.Select(h => h.NetworkNamespace).Append(first.SwitchNetworkNamespace).Append(first.ClientNetworkNamespace).ToList();
        Assert.Equal(4, networks.Distinct().Count());
        Assert.DoesNotContain(ownNetwork, networks);
        Assert.All(networks, network => Assert.Matches("^net:\\[[0-9]+\\]$", network));
        Assert.Equal(LabNetwork, first.Network);
        Assert.Equal(["10.0.41.1", "10.0.41.2"], first.Hosts.Select(h => h.LabAddress));
        Assert.Equal(machineLinks, await MachineLinksAsync());
        Assert.Empty((await IpAsync("-o", "addr", "show", "to", LabNetwork)).Trim());

        // Host to host over the lab network, with strict host keys: h1 names h2 by its lab address.
        var peer = await SshAsync("h1", "ssh h2 'hostname; ip -o -4 addr show dev eth0'; ssh -G h2 | grep '^hostname '");
        Assert.Contains("h2\n", peer, StringComparison.Ordinal);
        Assert.Contains(" 10.0.41.2/24 ", peer, StringComparison.Ordinal);
        Assert.Contains("hostname 10.0.41.2", peer, StringComparison.Ordinal);
        Assert.Contains("stricthostkeychecking true", await SshAsync("h1", "ssh -G h2"), StringComparison.Ordinal);

        // The client: its own network on the bridge, reaching the hosts, and the service range in lab.env.
        Assert.Equal("10.0.41.250", first.ClientAddress);
        Assert.Equal("10.0.41.200-10.0.41.239", first.ServiceAddresses);
        var network = Lab.LabNetwork.Read(StateDirectory);
        Assert.Equal(["10.0.41.200", "10.0.41.239"], new[] { network.ServiceFirst.ToString(), network.ServiceLast.ToString() });
        Assert.Equal(40, network.ServiceAddresses.Count);
        var client = (await Shell.RunAsync(network.EnterClient,
            ["sh", "-c", "readlink /proc/self/ns/net; ip -o -4 addr show dev eth0; ip neigh flush dev eth0; ip route get 10.0.41.2"],
            TimeSpan.FromSeconds(30))).EnsureSuccess().Text;
        Assert.StartsWith(first.ClientNetworkNamespace + "\n", client, StringComparison.Ordinal);
        Assert.Contains(" 10.0.41.250/24 ", client, StringComparison.Ordinal);
        var reached = await Shell.RunAsync(network.EnterClient, ["python3", "-c", "import socket; socket.create_connection(('10.0.41.1', 22), timeout=5).close()"],
            TimeSpan.FromSeconds(30));
        Assert.True(reached.ExitCode == 0, "the client does not reach h1's sshd");

        await RunAsync("down");

        Assert.False(Directory.Exists(StateDirectory), $"{StateDirectory} is still there");
        var namespaces = first.Hosts.SelectMany(h => new[] { h.PidNamespace, h.MountNamespace, h.NetworkNamespace })
            .Append(first.SwitchNetworkNamespace).Append(first.ClientNetworkNamespace).ToHashSet();
        var survivors = HoldersOf(namespaces);
        Assert.True(survivors.Count == 0, $"the lab's namespaces are still held: {string.Join(", ", survivors)}");
        Assert.All(first.Hosts, host => Assert.False(Directory.Exists($"/proc/{host.Pid}") && SameNamespace(host.Pid, host.PidNamespace)));
        Assert.DoesNotContain(File.ReadLines("/proc/self/mountinfo"), line => line.Contains(StateDirectory, StringComparison.Ordinal));
        Assert.Equal(machineLinks, await MachineLinksAsync());

        var after = await StatusAsync(expectUp: false);
        Assert.Equal("down", after.State);
        Assert.Empty(after.Hosts);
    }

    private async Task<string> SshAsync(string host, string commandLine) =>
        (await Shell.RunAsync("ssh", ["-F", Path.Combine(StateDirectory, "ssh_config"), host, commandLine], TimeSpan.FromMinutes(1)))
            .EnsureSuccess().Text;

    private static async Task<string> IpAsync(params string[] arguments) =>
        (await Shell.RunAsync("ip", arguments, TimeSpan.FromSeconds(30))).EnsureSuccess().Text;

    /// <summary>The names of the machine's own network interfaces.</summary>
    private static async Task<List<string>> MachineLinksAsync() =>
        [.. (await IpAsync("-o", "link", "show")).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(':')[1].Trim()).Order(StringComparer.Ordinal)];

    private async Task RunAsync(string command) =>
        (await LabFixture.RunLabAsync([command], TimeSpan.FromMinutes(15), Environment)).EnsureSuccess();

    private async Task<LabStatus> StatusAsync(bool expectUp = true)
    {
        var result = await LabFixture.RunLabAsync(["status", "--json"], TimeSpan.FromMinutes(1), Environment);
        Assert.Equal(expectUp ? 0 : 1, result.ExitCode);
        using var document = JsonDocument.Parse(result.Text);
        var root = document.RootElement;
        return new LabStatus(
            root.GetProperty("state").GetString()!,
            root.GetProperty("network").GetString()!,
            root.GetProperty("switchNetworkNamespace").GetString()!,
            root.GetProperty("clientNetworkNamespace").GetString()!,
            root.GetProperty("clientAddress").GetString()!,
            root.GetProperty("serviceAddresses").GetString()!,
            [.. root.GetProperty("hosts").EnumerateArray().Select(host => new LabHostStatus(
                host.GetProperty("name").GetString()!,
                host.GetProperty("address").GetString()!,
                host.GetProperty("labAddress").GetString()!,
                host.GetProperty("port").GetInt32(),
                host.GetProperty("pid").GetInt32(),
                host.GetProperty("running").GetBoolean(),
                host.GetProperty("pidNamespace").GetString()!,
                host.GetProperty("mountNamespace").GetString()!,
                host.GetProperty("networkNamespace").GetString()!))]);
    }

    /// <summary>Every process, descriptor or mount on the machine that holds one of <paramref name="namespaces"/>.</summary>
    private static List<string> HoldersOf(HashSet<string> namespaces)
    {
        var found = new List<string>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            var pid = Path.GetFileName(directory);
            if (!int.TryParse(pid, out _))
            {
                continue;
            }

            foreach (var link in Links($"{directory}/ns").Concat(Links($"{directory}/fd")))
            {
                var target = ReadLink(link);
                if (target is not null && namespaces.Contains(target))
                {
                    found.Add($"{link} ({target})");
                }
            }

            // A namespace bound to a file is an nsfs mount whose root (the fourth field) is the namespace.
            foreach (var line in ReadLines($"{directory}/mountinfo"))
            {
                var fields = line.Split(' ');
                if (fields.Length > 3 && namespaces.Contains(fields[3]))
                {
                    found.Add($"a mount of {fields[3]} seen by {pid}");
                }
            }
        }

        return found;
    }

    private static string[] Links(string directory)
    {
        try
        {
            return Directory.GetFileSystemEntries(directory);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    private static string[] ReadLines(string path)
    {
        try
        {
            return File.ReadAllLines(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    private static bool SameNamespace(int pid, string pidNamespace) => ReadLink($"/proc/{pid}/ns/pid") == pidNamespace;

    private static string? ReadLink(string path)
    {
        try
        {
            return new FileInfo(path).LinkTarget;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    private sealed record LabStatus(
        string State, string Network, string SwitchNetworkNamespace, string ClientNetworkNamespace, string ClientAddress, string ServiceAddresses,
        IReadOnlyList<LabHostStatus> Hosts);

    private sealed record LabHostStatus(
        string Name, string Address, string LabAddress, int Port, int Pid, bool Running,
        string PidNamespace, string MountNamespace, string NetworkNamespace);
}
