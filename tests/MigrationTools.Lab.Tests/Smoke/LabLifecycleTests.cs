using System.Net.Sockets;
using System.Text.Json;
using MigrationTools.Lab.Tests.Lab;

namespace MigrationTools.Lab.Tests.Smoke;

/// <summary>
/// `lab.sh up` twice, then `down`, on a second lab of its own (own state directory, own addresses):
/// up is idempotent, and down leaves no process, namespace, mount, listener or per-host file behind.
/// </summary>
[Collection(LabCollection.Name)]
public sealed class LabLifecycleTests
{
    private const string StateDirectory = "/var/lib/migrationtools-lab-lifecycle-test";
    private const string FirstAddress = "127.0.0.41";

    private static readonly Dictionary<string, string> Environment = new()
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

        await RunAsync("down");

        Assert.False(Directory.Exists(StateDirectory), $"{StateDirectory} is still there");
        var namespaces = first.Hosts.SelectMany(h => new[] { h.PidNamespace, h.MountNamespace }).ToHashSet();
        var survivors = ProcessesInNamespaces(namespaces);
        Assert.True(survivors.Count == 0, $"processes left in the lab's namespaces: {string.Join(", ", survivors)}");
        Assert.All(first.Hosts, host => Assert.False(Directory.Exists($"/proc/{host.Pid}") && SameNamespace(host.Pid, host.PidNamespace)));
        Assert.DoesNotContain(File.ReadLines("/proc/self/mountinfo"), line => line.Contains(StateDirectory, StringComparison.Ordinal));
        foreach (var host in first.Hosts)
        {
            Assert.False(await AcceptsConnectionsAsync(host.Address, host.Port), $"{host.Address}:{host.Port} still accepts connections");
        }

        var after = await StatusAsync(expectUp: false);
        Assert.Equal("down", after.State);
        Assert.Empty(after.Hosts);
    }

    private static async Task RunAsync(string command) =>
        (await LabFixture.RunLabAsync([command], TimeSpan.FromMinutes(15), Environment)).EnsureSuccess();

    private static async Task<LabStatus> StatusAsync(bool expectUp = true)
    {
        var result = await LabFixture.RunLabAsync(["status", "--json"], TimeSpan.FromMinutes(1), Environment);
        Assert.Equal(expectUp ? 0 : 1, result.ExitCode);
        using var document = JsonDocument.Parse(result.Text);
        var root = document.RootElement;
        return new LabStatus(
            root.GetProperty("state").GetString()!,
            [.. root.GetProperty("hosts").EnumerateArray().Select(host => new LabHostStatus(
                host.GetProperty("name").GetString()!,
                host.GetProperty("address").GetString()!,
                host.GetProperty("port").GetInt32(),
                host.GetProperty("pid").GetInt32(),
                host.GetProperty("running").GetBoolean(),
                host.GetProperty("pidNamespace").GetString()!,
                host.GetProperty("mountNamespace").GetString()!))]);
    }

    private static List<string> ProcessesInNamespaces(HashSet<string> namespaces)
    {
        var found = new List<string>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            var pid = Path.GetFileName(directory);
            if (!int.TryParse(pid, out _))
            {
                continue;
            }

            foreach (var kind in new[] { "pid", "mnt" })
            {
                var target = ReadLink($"{directory}/ns/{kind}");
                if (target is not null && namespaces.Contains(target))
                {
                    found.Add($"{pid} ({target})");
                }
            }
        }

        return found;
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

    private static async Task<bool> AcceptsConnectionsAsync(string address, int port)
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(address, port).WaitAsync(TimeSpan.FromSeconds(3));
            return true;
        }
        catch (Exception exception) when (exception is SocketException or TimeoutException)
        {
            return false;
        }
    }

    private sealed record LabStatus(string State, IReadOnlyList<LabHostStatus> Hosts);

    private sealed record LabHostStatus(
        string Name, string Address, int Port, int Pid, bool Running, string PidNamespace, string MountNamespace);
}
