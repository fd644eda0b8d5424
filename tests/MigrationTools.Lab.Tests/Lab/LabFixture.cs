using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using MigrationTools.Engine.Remote;

namespace MigrationTools.Lab.Tests.Lab;

/// <summary>One lab host as `lab.sh status --json` describes it.</summary>
public sealed record LabHost(string Name, string Address, int Port);

/// <summary>
/// Brings the lab up once for every test in the <see cref="LabCollection"/>. A lab that was already up
/// is used and left up; one this fixture started is taken down afterwards (set MT_LAB_KEEP=1 to keep it).
/// </summary>
public sealed class LabFixture : IAsyncLifetime
{
    private static readonly TimeSpan UpTimeout = TimeSpan.FromMinutes(15);
    private static readonly TimeSpan SshTimeout = TimeSpan.FromMinutes(5);

    private readonly string _controlDirectory = "/tmp/mt-lab-" + Guid.NewGuid().ToString("N")[..8];

    // The tests' own commands share one ssh connection per host, in a directory apart from the engine's sockets (which
    // tests cut): a new connection costs the lab about a tenth of a second, and the tests run thousands of commands.
    // The connections last until DisposeAsync closes them, so none ends under a command.
    private readonly string _helperControlDirectory = "/tmp/mt-lab-helper-" + Guid.NewGuid().ToString("N")[..8];
    private bool _startedHere;

    public string SshConfigPath { get; private set; } = "";

    public string KnownHostsPath { get; private set; } = "";

    public string IdentityFile { get; private set; } = "";

    /// <summary>The pool every host has.</summary>
    public string Pool { get; private set; } = "";

    public IReadOnlyList<LabHost> Hosts { get; private set; } = [];

    public async Task InitializeAsync()
    {
        if (LabEnvironment.SkipReason is not null)
        {
            return;
        }

        if (LabEnvironment.UnavailableReason is { } reason)
        {
            throw new InvalidOperationException($"CI=true but the lab cannot run here: {reason}");
        }

        var before = await RunLabAsync(["status"], TimeSpan.FromMinutes(1)).ConfigureAwait(false);
        if (before.ExitCode != 0)
        {
            (await RunLabAsync(["up"], UpTimeout).ConfigureAwait(false)).EnsureSuccess();
            _startedHere = true;
        }

        var status = (await RunLabAsync(["status", "--json"], TimeSpan.FromMinutes(1)).ConfigureAwait(false)).EnsureSuccess();
        using var document = JsonDocument.Parse(status.Text);
        var root = document.RootElement;
        SshConfigPath = root.GetProperty("sshConfig").GetString()!;
        KnownHostsPath = root.GetProperty("knownHosts").GetString()!;
        IdentityFile = root.GetProperty("identityFile").GetString()!;
        Pool = root.GetProperty("pool").GetString()!;
        if (OperatingSystem.IsLinux())
        {
            Directory.CreateDirectory(_helperControlDirectory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        Hosts = [.. root.GetProperty("hosts").EnumerateArray().Select(host => new LabHost(
            host.GetProperty("name").GetString()!,
            host.GetProperty("address").GetString()!,
            host.GetProperty("port").GetInt32()))];
    }

    public async Task DisposeAsync()
    {
        Reliability.ReliabilityLog.WriteReportIfAsked();

        if (Directory.Exists(_controlDirectory))
        {
            Directory.Delete(_controlDirectory, recursive: true);
        }

        if (Directory.Exists(_helperControlDirectory))
        {
            await CloseSharedConnectionsAsync(_helperControlDirectory).ConfigureAwait(false);
            Directory.Delete(_helperControlDirectory, recursive: true);
        }

        if (_startedHere && Environment.GetEnvironmentVariable("MT_LAB_KEEP") != "1")
        {
            (await RunLabAsync(["down"], TimeSpan.FromMinutes(2)).ConfigureAwait(false)).EnsureSuccess();
        }
    }

    /// <summary>Engine ssh options for the lab: its ssh_config, and control sockets in a directory of this run's own.</summary>
    public SshOptions EngineSshOptions => new() { ConfigFile = SshConfigPath, ControlDirectory = _controlDirectory };

    /// <summary>An engine connection to a lab host; the caller disposes it.</summary>
    public SshConnection Connect(string host) => new(SshDestination.Parse(host), EngineSshOptions);

    /// <summary>Runs a shell command line on a lab host through plain ssh, with the lab's ssh_config.</summary>
    public Task<CommandResult> SshAsync(string host, string commandLine, Stream? standardInput = null) =>
        Shell.RunAsync("ssh",
            ["-F", SshConfigPath, "-o", "ControlMaster=auto", "-o", "ControlPath=" + _helperControlDirectory + "/%C",
             "-o", "ControlPersist=600s", host, commandLine],
            SshTimeout, standardInput: standardInput);

    /// <summary>Ends every shared ssh connection (multiplexing master) whose control socket is in <paramref name="controlDirectory"/>.</summary>
    public static async Task CloseSharedConnectionsAsync(string controlDirectory)
    {
        if (!Directory.Exists(controlDirectory))
        {
            return;
        }

        // Not the page relays' forwarded sockets (pf-NAME.sock): ssh -O asks only a master, and one of those never answers.
        foreach (var socket in Directory.GetFiles(controlDirectory).Where(f => !Path.GetFileName(f).StartsWith("pf-", StringComparison.Ordinal)))
        {
            await Shell.RunAsync("ssh", ["-O", "exit", "-o", "ControlPath=" + socket, "unused"], TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        }
    }

    /// <summary>Runs a command line on a host; throws with its stderr unless it succeeds.</summary>
    public async Task<string> SshCheckedAsync(string host, string commandLine) =>
        (await SshAsync(host, commandLine).ConfigureAwait(false)).EnsureSuccess().Text;

    /// <summary>
    /// Destroys a dataset and everything below it, if it exists. zfs-fuse often answers "dataset is busy" to the
    /// first attempts after a dataset was used, so it retries for a few seconds.
    /// </summary>
    public Task<CommandResult> DestroyDatasetAsync(string host, string dataset) =>
        SshAsync(host,
            $"for i in $(seq 20); do zfs list -H -o name {dataset} >/dev/null 2>&1 || exit 0; " +
            $"zfs destroy -r {dataset} 2>/dev/null && exit 0; sleep 0.5; done; zfs destroy -r {dataset}");

    /// <summary>Runs the lab script with the given arguments and optional environment.</summary>
    public static Task<CommandResult> RunLabAsync(
        IEnumerable<string> arguments, TimeSpan timeout, IReadOnlyDictionary<string, string>? environment = null) =>
        Shell.RunAsync(LabEnvironment.LabScript, arguments, timeout, environment);
}

/// <summary>Every lab test shares one lab and runs one after another (the hosts share two cores).</summary>
[CollectionDefinition(Name)]
[SuppressMessage("Naming", "CA1711", Justification = "It is an xunit test collection.")]
public sealed class LabCollection : ICollectionFixture<LabFixture>
{
    public const string Name = "Lab";
}
