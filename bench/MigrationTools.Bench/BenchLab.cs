using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using MigrationTools.Engine.Criu;
using MigrationTools.Engine.Network;
using MigrationTools.Engine.Remote;
using MigrationTools.Engine.Workloads;
using MigrationTools.Engine.Zfs;

namespace MigrationTools.Bench;

/// <summary>
/// The lab as the downtime benchmark uses it: plain ssh over shared connections of its own (set up and the raw
/// steps), engine connection options with a control directory of its own, and counter services to move.
/// </summary>
internal sealed class BenchLab : IAsyncDisposable
{
    /// <param name="options">The lab and the benchmark's options.</param>
    /// <param name="cipher">The cipher of the benchmark's own ssh connections; <see langword="null"/> for the ssh configuration's choice.</param>
    public BenchLab(DowntimeOptions options, string? cipher = null)
    {
        Options = options;
        _cipher = cipher;
        ControlDirectory = "/tmp/mtb-" + Guid.NewGuid().ToString("N")[..8];
        Directory.CreateDirectory(ControlDirectory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        CounterScript = FindWorkloadScript("counter.py");
        _network = new Lazy<BenchNetwork>(() => BenchNetwork.Read(options.LabEnv));
    }

    private readonly Lazy<BenchNetwork> _network;

    private readonly string? _cipher;

    /// <summary>The lab network's service addresses and client namespace (read from lab.env when first needed).</summary>
    public BenchNetwork Network => _network.Value;

    public DowntimeOptions Options { get; }

    /// <summary>A private directory for the shared connections' sockets and the trace files.</summary>
    public string ControlDirectory { get; }

    /// <summary>tests/lab/workloads/counter.py of this repository.</summary>
    public string CounterScript { get; }

    /// <summary>ssh's arguments up to the host: the lab's ssh_config and a shared connection per host, kept warm between steps.</summary>
    public string[] SshArguments(string host) =>
    [
        "-F", Options.SshConfig, "-o", "ControlMaster=auto", "-o", $"ControlPath={ControlDirectory}/%C", "-o", "ControlPersist=600",
        .. _cipher is null ? Array.Empty<string>() : ["-c", _cipher], host,
    ];

    /// <summary>The same ssh as a shell command line, for pipelines.</summary>
    public string SshLine(string host) => "ssh " + string.Join(' ', SshArguments(host).Select(a => "'" + a + "'"));

    public Task<string> SshAsync(string host, string commandLine, string? standardInputFile = null) =>
        Processes.RunAsync("ssh", [.. SshArguments(host), commandLine], standardInputFile);

    public static Task<string> ShellAsync(string script) => Processes.RunAsync("bash", ["-c", "set -o pipefail; " + script]);

    /// <summary>How the engine reaches the hosts: the lab's ssh_config, sockets in a directory of the benchmark's own.</summary>
    public SshOptions EngineSshOptions(string? sshPath = null) =>
        new() { ConfigFile = Options.SshConfig, ControlDirectory = ControlDirectory + "/e", SshPath = sshPath ?? "ssh" };

    public SshConnection Connect(string host) => new(SshDestination.Parse(host), EngineSshOptions());

    public async ValueTask DisposeAsync()
    {
        foreach (var host in new[] { Options.Source, Options.Target })
        {
            try
            {
                await Processes.RunAsync("ssh", ["-F", Options.SshConfig, "-o", $"ControlPath={ControlDirectory}/%C", "-O", "exit", host]);
            }
            catch (InvalidOperationException)
            {
                // No shared connection to that host is running.
            }
        }

        Directory.Delete(ControlDirectory, recursive: true);
    }

    /// <summary>tests/lab/workloads/<paramref name="fileName"/> of this repository.</summary>
    public static string FindWorkloadScript(string fileName)
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var script = Path.Combine(directory.FullName, "tests", "lab", "workloads", fileName);
            if (File.Exists(script))
            {
                return script;
            }
        }

        throw new FileNotFoundException($"tests/lab/workloads/{fileName} was not found above " + AppContext.BaseDirectory);
    }
}

/// <summary>
/// The lab's counter service on a dataset of its own filled with random data: unique name, dataset, port (31000-32699,
/// clear of the lab tests' 20000-29999) and manifest and runtime directories. Cleanup kills only processes recorded for
/// it (its PID file, or the PID file of a raw restore), by PID.
/// </summary>
internal sealed class BenchWorkload
{
    /// <summary>
    /// $1 port, $2 milliseconds, $3 address. GETs / with bash's /dev/tcp (no HTTP client needed on the host) every 10 ms
    /// until a 200 answer, which it prints; exits 7 when none came in time. A frozen listener accepts but never answers,
    /// hence the timeout on each read. No single quotes: the script travels single-quoted.
    /// </summary>
    private const string PollScript =
        "end=$(( ${EPOCHREALTIME/./} / 1000 + $2 )); " +
        "while :; do " +
        "if exec 3<>/dev/tcp/$3/$1; then " +
        "printf \"GET / HTTP/1.0\\r\\nHost: $3\\r\\n\\r\\n\" >&3; a=$(timeout 2 cat <&3); exec 3<&-; " +
        "case $a in \"HTTP/1.\"?\" 200 \"*) printf %s \"$a\"; exit 0;; esac; " +
        "fi 2>/dev/null; " +
        "[ $(( ${EPOCHREALTIME/./} / 1000 )) -lt $end ] || { echo \"nothing answered\" >&2; exit 7; }; " +
        "sleep 0.01; " +
        "done";

    private readonly BenchLab _lab;
    private readonly int _sizeMib;

    /// <param name="lab">The lab.</param>
    /// <param name="sizeMib">The dataset's size.</param>
    /// <param name="serviceAddress">
    /// An address the service binds (its HTTP port and a line port) and declares, so that it moves with it; <see langword="null"/>
    /// for 127.0.0.1 and no line port.
    /// </param>
    public BenchWorkload(BenchLab lab, int sizeMib, ServiceAddress? serviceAddress = null)
    {
        _lab = lab;
        _sizeMib = sizeMib;
        var id = Guid.NewGuid().ToString("N")[..10];
        Name = WorkloadName.Parse("dt-" + id);
        Dataset = DatasetName.Parse($"{lab.Options.Pool}/dt-{id}");
        Port = Random.Shared.Next(31000, 32700);
        Root = "/tmp/mt-dt-" + id;
        Paths = new WorkloadPaths(Root + "/manifests", "/run/mt-dt-" + id);
        var port = Port.ToString(CultureInfo.InvariantCulture);
        ServiceAddress = serviceAddress;
        string[] command = ["python3", DataDirectory + "/counter.py", "--data-dir", DataDirectory, "--port", port];
        if (serviceAddress is null)
        {
            Manifest = new WorkloadManifest(Name, [Dataset], command, CheckpointMode.Criu, DataDirectory, null, HealthCheck.ForTcpPort(Port, 10));
        }
        else
        {
            // Bound to the service address only, so the health check connects there (the port check would try 127.0.0.1).
            var address = serviceAddress.Address.ToString();
            var health = HealthCheck.ForCommand(["bash", "-c", "exec 3<>\"/dev/tcp/$0/$1\"", address, port], 10);
            Manifest = new WorkloadManifest(
                Name, [Dataset], [.. command, "--address", address, "--line-port", LinePort.ToString(CultureInfo.InvariantCulture)], CheckpointMode.Criu,
                DataDirectory, null, health, MigrationPolicy.Allowed, [serviceAddress]);
        }
    }

    /// <summary>The address the service is bound to and declares, or <see langword="null"/> for 127.0.0.1.</summary>
    public ServiceAddress? ServiceAddress { get; }

    /// <summary>The port of the persistent line connections (with a service address only): below the HTTP port, clear of the ephemeral ports.</summary>
    public int LinePort => Port - 1000;

    /// <summary>Where the service listens: its service address, or 127.0.0.1.</summary>
    public string BindAddress => ServiceAddress?.Address.ToString() ?? "127.0.0.1";

    public WorkloadName Name { get; }

    public DatasetName Dataset { get; }

    public int Port { get; }

    public string Root { get; }

    public WorkloadPaths Paths { get; }

    public WorkloadManifest Manifest { get; }

    public string DataDirectory => "/" + Dataset.Value;

    /// <summary>Creates and fills the dataset on the source, declares the service there and starts it; returns its token.</summary>
    public async Task<string> CreateAndStartAsync()
    {
        var source = _lab.Options.Source;
        await _lab.SshAsync(source, $"zfs create {Dataset} && head -c {_sizeMib}M /dev/urandom > {DataDirectory}/fill");
        await _lab.SshAsync(source, $"cat > {DataDirectory}/counter.py", _lab.CounterScript);
        using var connection = _lab.Connect(source);
        if (ServiceAddress is null)
        {
            await new WorkloadCatalog(connection, Paths).RegisterAsync(Manifest);
            await new WorkloadRuntime(connection, Paths).StartAsync(Manifest);
        }
        else
        {
            // The workload service adds the declared address to the source's eth0 before it starts the service.
            var service = new WorkloadService(new WorkloadHost(connection, Paths));
            await service.RegisterAsync(Manifest, replace: false);
            await service.StartAsync(Name);
        }

        return (await WaitForServiceAsync(source, TimeSpan.FromSeconds(20))).Token;
    }

    /// <summary>New data for the switch's final delta: <paramref name="mib"/> MiB of random data in a new file.</summary>
    public Task WriteDeltaAsync(int mib) =>
        _lab.SshAsync(_lab.Options.Source, $"head -c {mib}M /dev/urandom > {DataDirectory}/delta");

    /// <summary>
    /// Polls the service every 10 ms from <paramref name="host"/> at its bind address (127.0.0.1, or its service address
    /// wherever that is) until it answers; the token it serves and
    /// the seconds from the call to the answer. Each lab host has a network of its own, so the polling loop runs on the
    /// host, started by one command over the shared ssh connection: the time includes that one round trip, not one per poll.
    /// </summary>
    public async Task<(string Token, double Seconds)> WaitForServiceAsync(string host, TimeSpan timeout)
    {
        var port = Port.ToString(CultureInfo.InvariantCulture);
        var milliseconds = ((long)timeout.TotalMilliseconds).ToString(CultureInfo.InvariantCulture);
        var clock = Stopwatch.StartNew();
        string response;
        try
        {
            response = await _lab.SshAsync(host, $"bash -c '{PollScript}' bash {port} {milliseconds} {BindAddress}");
        }
        catch (InvalidOperationException e)
        {
            throw new TimeoutException($"{Name} did not answer on {host}'s {BindAddress}:{port} within {timeout.TotalSeconds:0} s: {e.Message}", e);
        }

        var seconds = clock.Elapsed.TotalSeconds;
        var bodyStart = response.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        using var answer = JsonDocument.Parse(bodyStart < 0 ? "" : response[(bodyStart + 4)..]);
        var served = answer.RootElement.GetProperty("hostname").GetString();
        return served == host
            ? (answer.RootElement.GetProperty("token").GetString()!, seconds)
            : throw new InvalidOperationException($"{Name} at {BindAddress}:{port} from {host} says it runs on {served}.");
    }


    /// <summary>
    /// Kills the service's recorded processes on both hosts (its PID file; a raw restore's restore.pid in
    /// <paramref name="rawImages"/>), releases the migration's holds, and removes its dataset, directories and images; with
    /// a service address, also that address from eth0 and any of CRIU's network lock rules left for its ports.
    /// </summary>
    public async Task CleanUpAsync(string? rawImages = null)
    {
        foreach (var host in new[] { _lab.Options.Source, _lab.Options.Target })
        {
            try
            {
                using var connection = _lab.Connect(host);
                await new WorkloadRuntime(connection, Paths).KillAsync(Name);
            }
            catch (Exception e) when (e is RemoteException or WorkloadException)
            {
                Console.WriteLine($"  cleanup on {host}: {e.Message}");
            }

            var images = rawImages ?? "/nonexistent";
            await _lab.SshAsync(host,
                $"for p in $(cat {images}/restore.pid 2>/dev/null); do kill -KILL $p; while [ -e /proc/$p ]; do sleep 0.05; done; done; " +
                $"rm -rf {Root} {Paths.RuntimeDirectory} {CriuImageDirectory.DefaultParent}/{Name}-* {images}; " +
                $"for s in $(zfs list -H -o name -t snapshot -r {Dataset} 2>/dev/null); do t=${{s#*@}}; zfs release ${{t%-*}} $s 2>/dev/null; done; " +
                $"for i in 1 2 3 4 5 6 7 8 9 10; do zfs list {Dataset} >/dev/null 2>&1 || break; zfs destroy -r {Dataset} 2>/dev/null || sleep 1; done; " +
                $"! zfs list {Dataset} >/dev/null 2>&1 || echo 'cleanup: {Dataset} could not be destroyed on {host}' >&2; " +
                AddressCleanup() + "true");
        }
    }

    /// <summary>
    /// Shell commands that remove the service address from eth0 and the DROP rules CRIU's network lock may have left for
    /// the service's ports (a run that failed between the dump and the lock's release); nothing without an address.
    /// </summary>
    private string AddressCleanup()
    {
        if (ServiceAddress is null)
        {
            return "";
        }

        var ports = string.Join(' ', new[] { Port, LinePort }.Select(p => $"-e '--sport {p} ' -e '--dport {p} '"));
        return $"ip addr del {ServiceAddress.Cidr} dev eth0 2>/dev/null; " +
            $"iptables -S 2>/dev/null | grep {ports} | grep -- '-j DROP' | sed 's/^-A /-D /' | {{ set -f; while read -r rule; do iptables $rule; done; }}; ";
    }
}
