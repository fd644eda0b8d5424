using System.Globalization;
using MigrationTools.Engine.Criu;
using MigrationTools.Engine.Journal;
using MigrationTools.Engine.Migrations;
using MigrationTools.Engine.Phases;
using MigrationTools.Engine.Remote;
using MigrationTools.Engine.Workloads;
using MigrationTools.Lab.Tests.Lab;
using MigrationTools.Lab.Tests.Workloads;

namespace MigrationTools.Lab.Tests.Migrations;

/// <summary>
/// The counter service declared and running on h1, an engine with a journal of this test's own, and probes of
/// both hosts. Disposing kills only the service's recorded processes and removes its files and datasets.
/// </summary>
internal sealed class MigrationLab : IAsyncDisposable
{
    private readonly LabFixture _lab;

    public MigrationLab(LabFixture lab, Func<CounterService, WorkloadManifest>? manifest = null)
    {
        _lab = lab;
        Service = new CounterService(lab);
        Manifest = manifest?.Invoke(Service) ?? Service.Manifest;
        var id = Guid.NewGuid().ToString("N")[..10];
        JournalDirectory = Path.Combine(Path.GetTempPath(), "mt-journal-" + id);

        // The engine reads an ssh_config of this test's own, so a test can cut it off from a host (see CutOffAsync).
        SshConfigPath = Path.Combine(Path.GetTempPath(), "mt-ssh-config-" + id);
        File.Copy(lab.SshConfigPath, SshConfigPath);
        ControlDirectory = "/tmp/mt-lab-ctl-" + id;
        Engine = NewEngine(JournalDirectory);
    }

    public string SshConfigPath { get; }

    public string ControlDirectory { get; }

    public CounterService Service { get; }

    public WorkloadManifest Manifest { get; }

    public string JournalDirectory { get; }

    public MigrationEngine Engine { get; }

    public string Dataset => Service.Dataset.Value;

    /// <summary>
    /// A short stop timeout. Each lab host has a network of its own, so the restore binds the service's port while the
    /// frozen source still holds it on the source: no ReleaseSourceBeforeRestore.
    /// </summary>
    public static MigrationSettings LabSettings => new() { StopTimeoutSeconds = 2 };

    public MigrationRequest Request(MigrationSettings? settings = null) =>
        new(Service.Name, "h1", "h2") { Settings = settings ?? LabSettings };

    /// <summary>An engine with a journal of its own, like a second controller's.</summary>
    public MigrationEngine NewEngine(string journalDirectory) =>
        new(new MigrationJournal(journalDirectory), new SshOptions { ConfigFile = SshConfigPath, ControlDirectory = ControlDirectory }, Service.Paths);

    /// <summary>
    /// Makes <paramref name="host"/> unreachable for this test's engine, as if its sshd had stopped: the engine's
    /// ssh_config no longer enters the host (its ProxyCommand is commented out) but connects to its controller address on
    /// a port where nothing listens, and the engine's open shared connections are closed.
    /// </summary>
    public async Task CutOffAsync(string host)
    {
        var config = await File.ReadAllTextAsync(SshConfigPath);
        config = Rewrite(Rewrite(config, host, EnterHost, CutEnterHost), host, "Port 22", "Port 9");
        await File.WriteAllTextAsync(SshConfigPath, config);
        await CloseSharedConnectionsAsync();
    }

    /// <summary>Ends every shared ssh connection the engine has open in this test's control directory.</summary>
    public Task CloseSharedConnectionsAsync() => LabFixture.CloseSharedConnectionsAsync(ControlDirectory);

    /// <summary>Lets this test's engine reach <paramref name="host"/> again.</summary>
    public async Task ReconnectAsync(string host)
    {
        var config = await File.ReadAllTextAsync(SshConfigPath);
        config = Rewrite(Rewrite(config, host, CutEnterHost, EnterHost), host, "Port 9", "Port 22");
        await File.WriteAllTextAsync(SshConfigPath, config);
    }

    private const string EnterHost = "    ProxyCommand ";

    private const string CutEnterHost = "    #ProxyCommand ";

    private static string Rewrite(string config, string host, string from, string to)
    {
        var blocks = config.Split("\nHost ");
        for (var i = 0; i < blocks.Length; i++)
        {
            var name = blocks[i].StartsWith("Host ", StringComparison.Ordinal) ? blocks[i][5..] : blocks[i];
            if (name.StartsWith(host + "\n", StringComparison.Ordinal))
            {
                blocks[i] = blocks[i].Replace(from, to, StringComparison.Ordinal);
            }
        }

        return string.Join("\nHost ", blocks);
    }

    /// <summary>Creates the dataset on h1, declares the service there, starts it and waits until it answers.</summary>
    public async Task<CounterState> StartAsync()
    {
        await Service.CreateDatasetAsync("h1");
        using var h1 = _lab.Connect("h1");
        await new WorkloadCatalog(h1, Service.Paths).RegisterAsync(Manifest);
        await new WorkloadRuntime(h1, Service.Paths).StartAsync(Manifest);
        return await Service.WaitForServiceAsync();
    }

    public async Task<WorkloadStatus> StatusAsync(string host)
    {
        using var connection = _lab.Connect(host);
        return await new WorkloadRuntime(connection, Service.Paths).GetStatusAsync(Service.Name);
    }

    public async Task<WorkloadManifest?> DeclaredAsync(string host)
    {
        using var connection = _lab.Connect(host);
        return await new WorkloadCatalog(connection, Service.Paths).GetAsync(Service.Name);
    }

    /// <summary>Every value in the service's log on <paramref name="host"/>, in file order.</summary>
    public async Task<long[]> LoggedAsync(string host) =>
        (await _lab.SshCheckedAsync(host, $"cat {Service.DataDirectory}/counter.log"))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(v => long.Parse(v, CultureInfo.InvariantCulture)).ToArray();

    /// <summary>
    /// Whether the service's log on <paramref name="host"/> holds 1, 2, 3, … one a line with nothing missing or repeated:
    /// the test of lost (or doubled) data.
    /// </summary>
    public async Task<bool> LogIntactAsync(string host)
    {
        var values = await LoggedAsync(host);
        return values.Length > 0 && values.Select((v, i) => v == i + 1).All(ok => ok);
    }

    /// <summary>The hosts the service runs on, as "h1", "h1 and h2" or "no host".</summary>
    public async Task<string> RunningOnAsync()
    {
        var hosts = new List<string>();
        foreach (var host in new[] { "h1", "h2" })
        {
            if ((await StatusAsync(host)).State == WorkloadState.Running)
            {
                hosts.Add(host);
            }
        }

        return hosts.Count == 0 ? "no host" : string.Join(" and ", hosts);
    }

    /// <summary>Writes <paramref name="mebibytes"/> MiB of random data to a file on the service's dataset on <paramref name="host"/>.</summary>
    public async Task FillAsync(string host, string file, int mebibytes) =>
        await _lab.SshCheckedAsync(host, $"head -c {mebibytes}M /dev/urandom > {Service.DataDirectory}/{file}");

    /// <summary>The SHA-256 of a file on the service's dataset on <paramref name="host"/>.</summary>
    public async Task<string> ChecksumAsync(string host, string file) =>
        (await _lab.SshCheckedAsync(host, $"sha256sum < {Service.DataDirectory}/{file}")).Trim();

    public async Task<bool> DatasetExistsAsync(string host) =>
        (await _lab.SshAsync(host, $"zfs list -H -o name {Dataset}")).ExitCode == 0;

    /// <summary>
    /// Whether a file can be created on the dataset on <paramref name="host"/>. zfs-fuse applies readonly at once but
    /// reports it as "off (temporary)", so fencing is checked by its effect.
    /// </summary>
    public async Task<bool> WritableAsync(string host) =>
        (await _lab.SshAsync(host, $"touch {Service.DataDirectory}/.mt-probe 2>/dev/null && rm -f {Service.DataDirectory}/.mt-probe")).ExitCode == 0;

    public async Task<string> PropertyAsync(string host, string property) =>
        (await _lab.SshCheckedAsync(host, $"zfs get -H -o value {property} {Dataset}")).Trim();

    /// <summary>The short names of the dataset's snapshots on <paramref name="host"/>.</summary>
    public async Task<string[]> SnapshotsAsync(string host) =>
        (await _lab.SshCheckedAsync(host, $"zfs list -H -o name -t snapshot -r {Dataset} 2>/dev/null || true"))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(s => s[(s.IndexOf('@') + 1)..]).ToArray();

    public async Task<bool> ClaimExistsAsync() =>
        (await _lab.SshAsync("h1", $"test -e {Service.Paths.ClaimFile(Service.Name)}")).ExitCode == 0;

    public async ValueTask DisposeAsync()
    {
        // A test that failed half-way can leave the migration's holds (tag mt-<id>, named in each snapshot).
        foreach (var host in new[] { "h1", "h2" })
        {
            await _lab.SshAsync(host,
                $"rm -rf {CriuImageDirectory.DefaultParent}/{Service.Name}-m-*; " +
                $"for s in $(zfs list -H -o name -t snapshot -r {Dataset} 2>/dev/null); do t=${{s#*@}}; zfs release ${{t%-*}} $s 2>/dev/null; done; true");
        }

        await Service.CleanUpAsync();
        await ReconnectAsync("h1");
        await ReconnectAsync("h2");
        await CloseSharedConnectionsAsync();
        if (Directory.Exists(ControlDirectory))
        {
            Directory.Delete(ControlDirectory, recursive: true);
        }

        File.Delete(SshConfigPath);
        if (Directory.Exists(JournalDirectory))
        {
            Directory.Delete(JournalDirectory, recursive: true);
        }
    }
}

/// <summary>Collects progress reports as they come, from whatever thread (unlike Progress&lt;T&gt;, nothing is posted).</summary>
internal sealed class ProgressLog : IProgress<MigrationProgress>
{
    private readonly List<MigrationProgress> _items = [];

    public IReadOnlyList<MigrationProgress> Items
    {
        get
        {
            lock (_items)
            {
                return [.. _items];
            }
        }
    }

    public void Report(MigrationProgress value)
    {
        lock (_items)
        {
            _items.Add(value);
        }
    }
}
