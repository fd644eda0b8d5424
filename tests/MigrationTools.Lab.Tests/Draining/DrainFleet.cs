using System.Globalization;
using MigrationTools.Engine.Criu;
using MigrationTools.Engine.Draining;
using MigrationTools.Engine.Journal;
using MigrationTools.Engine.Migrations;
using MigrationTools.Engine.Phases;
using MigrationTools.Engine.Remote;
using MigrationTools.Engine.Workloads;
using MigrationTools.Engine.Zfs;
using MigrationTools.Lab.Tests.Lab;
using MigrationTools.Lab.Tests.Workloads;

namespace MigrationTools.Lab.Tests.Draining;

/// <summary>
/// Several counter services declared on h1 under one manifest directory of the test's own (so a drain lists them all),
/// each with its dataset, port and a file of random data; engines over a journal of the test's own; and the drain the
/// CLI runs, at engine level: continue a workload's active migration, else choose its destination, then move through a
/// <see cref="DrainQueue"/>. Disposing kills only the services' recorded processes and removes their datasets and files.
/// </summary>
internal sealed class DrainFleet : IAsyncDisposable
{
    private static readonly string CounterScript = Path.Combine(LabEnvironment.RepositoryRoot, "tests", "lab", "workloads", "counter.py");
    private readonly LabFixture _lab;
    private readonly LabHttp _http;
    private readonly string _root;
    private readonly string _id;

    public DrainFleet(LabFixture lab, int count, Func<int, HealthCheck?>? health = null)
    {
        _lab = lab;
        _http = new LabHttp(lab);
        var id = Guid.NewGuid().ToString("N")[..8];
        _id = id;
        _root = "/tmp/mt-dr-" + id;
        Paths = new WorkloadPaths(_root + "/manifests", "/run/mt-dr-" + id);
        JournalDirectory = Path.Combine(Path.GetTempPath(), "mt-journal-dr-" + id);
        var ports = Enumerable.Range(0, 1000).Select(_ => Random.Shared.Next(20000, 30000)).Distinct().Take(count).ToArray();
        Members = [.. Enumerable.Range(0, count).Select(i =>
        {
            var name = WorkloadName.Parse($"dr-{id}-{i}");
            var dataset = DatasetName.Parse($"{lab.Pool}/dr-{id}-{i}");
            var port = ports[i];
            var manifest = new WorkloadManifest(
                name, [dataset],
                ["python3", "/" + dataset.Value + "/counter.py", "--data-dir", "/" + dataset.Value, "--port", port.ToString(CultureInfo.InvariantCulture)],
                CheckpointMode.Criu, "/" + dataset.Value, new Dictionary<string, string>(), health?.Invoke(i) ?? HealthCheck.ForTcpPort(port, 5));
            return new Member(name, dataset, port, manifest, DataMebibytes: 1 + (i % 3));
        })];
    }

    public IReadOnlyList<Member> Members { get; }

    public WorkloadPaths Paths { get; }

    public string JournalDirectory { get; }

    public static MoveOptions Options => new() { Complete = true, MaxSyncRounds = 1, ConvergedBytes = long.MaxValue };

    public static MigrationSettings Settings => new() { StopTimeoutSeconds = 2 };

    public MigrationEngine NewEngine(HostLimits limits) =>
        new(new MigrationJournal(JournalDirectory), _lab.EngineSshOptions, Paths, limits: limits);

    /// <summary>Creates, declares and starts every member on h1, with its data file, and waits until each answers.</summary>
    public async Task<IReadOnlyDictionary<WorkloadName, (CounterState State, string Checksum)>> StartAsync()
    {
        using var h1 = _lab.Connect("h1");
        var started = new Dictionary<WorkloadName, (CounterState, string)>();
        foreach (var member in Members)
        {
            await _lab.SshCheckedAsync("h1", $"zfs create {member.Dataset}");
            await using (var script = File.OpenRead(CounterScript))
            {
                (await _lab.SshAsync("h1", $"cat > /{member.Dataset}/counter.py", script)).EnsureSuccess();
            }

            var checksum = (await _lab.SshCheckedAsync("h1",
                $"head -c {member.DataMebibytes}M /dev/urandom > /{member.Dataset}/data.bin && sha256sum < /{member.Dataset}/data.bin")).Trim();
            await new WorkloadCatalog(h1, Paths).RegisterAsync(member.Manifest);
            await new WorkloadRuntime(h1, Paths).StartAsync(member.Manifest);
            started[member.Name] = (default!, checksum);
        }

        foreach (var member in Members)
        {
            started[member.Name] = (await ReadAsync(member), started[member.Name].Item2);
        }

        return started;
    }

    /// <summary>The member's counter from the one host it answers on (throws when it answers on two).</summary>
    public async Task<CounterState> ReadAsync(Member member, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (true)
        {
            try
            {
                return await _http.GetFromTheHostRunningItAsync<CounterState>(member.Port);
            }
            catch (Exception e) when ((e is HttpRequestException or TaskCanceledException) && DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }
        }
    }

    /// <summary>The hosts whose runtime says the member runs there.</summary>
    public async Task<string[]> RunningOnAsync(Member member)
    {
        var hosts = new List<string>();
        foreach (var host in _lab.Hosts.Select(h => h.Name))
        {
            using var connection = _lab.Connect(host);
            if ((await new WorkloadRuntime(connection, Paths).GetStatusAsync(member.Name)).State == WorkloadState.Running)
            {
                hosts.Add(host);
            }
        }

        return [.. hosts];
    }

    public async Task<string> ChecksumAsync(string host, Member member) =>
        (await _lab.SshCheckedAsync(host, $"sha256sum < /{member.Dataset}/data.bin")).Trim();

    /// <summary>Whether the counter's log on <paramref name="host"/> holds 1, 2, 3, … with nothing missing or repeated.</summary>
    public async Task<bool> LogIntactAsync(string host, Member member)
    {
        var values = (await _lab.SshCheckedAsync(host, $"cat /{member.Dataset}/counter.log"))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(v => long.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        return values.Length > 0 && values.Select((v, i) => v == i + 1).All(ok => ok);
    }

    /// <summary>
    /// Drains h1 the way <c>migrationtools drain</c> does: a workload with an active migration continues it, the others get
    /// a destination from one chooser; all move through one queue.
    /// </summary>
    public async Task<DrainRun> DrainAsync(
        MigrationEngine engine, int throttle, IReadOnlyList<string> destinations, Action<DrainRun>? onProgress = null,
        CancellationToken cancellationToken = default)
    {
        var queue = new DrainQueue(throttle);
        var chooser = new DestinationChooser(engine);
        var run = new DrainRun(onProgress);
        var candidates = destinations.Select(SshDestination.Parse).ToArray();
        foreach (var member in Members)
        {
            MigrationRequest request;
            if (engine.Journal.FindActive(member.Name) is { } active)
            {
                request = new MigrationRequest(member.Name, active.Source, active.Destination) { Settings = Settings };
            }
            else
            {
                var choice = await chooser.ChooseAsync(new MigrationRequest(member.Name, "h1", destinations[0]) { Settings = Settings }, candidates, cancellationToken);
                request = choice.Request;
            }

            run.Destinations[member.Name] = request.DestinationHost.ToString();
            queue.Add(new DrainWork($"{member.Name} from h1 to {request.DestinationHost}", member.DataMebibytes << 20,
                (progress, token) => engine.MoveAsync(request, Options, progress, token)));
        }

        queue.CompleteAdding();
        run.Summary = await queue.RunAsync(run, cancellationToken);
        return run;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var host in _lab.Hosts.Select(h => h.Name))
        {
            try
            {
                using var connection = _lab.Connect(host);
                foreach (var member in Members)
                {
                    await new WorkloadRuntime(connection, Paths).KillAsync(member.Name);
                }
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // Cleanup goes on; the datasets and directories below still go.
            }

            await _lab.SshAsync(host,
                $"for p in /proc/[0-9]*; do case $(tr '\\000' ' ' 2>/dev/null < $p/cmdline) in " +
                $"*'/{_lab.Pool}/dr-{_id}-'*'/counter.py '*) kill -KILL ${{p#/proc/}};; esac; done; " +
                $"rm -rf {_root} {Paths.RuntimeDirectory} {CriuImageDirectory.DefaultParent}/dr-{_id}-*; true");
            // One command per host: a hold left by a failed test is released (tag mt-<id>, named in the snapshot), then each
            // dataset destroyed, retried while zfs-fuse calls it busy (an unmount attempt often ends that).
            var datasets = string.Join(' ', Members.Select(m => m.Dataset.Value));
            await _lab.SshAsync(host,
                $"for d in {datasets}; do zfs list -H -o name $d >/dev/null 2>&1 || continue; " +
                "for s in $(zfs list -H -o name -t snapshot -r $d 2>/dev/null); do t=${s#*@}; zfs release ${t%-*} $s 2>/dev/null; done; " +
                "for i in $(seq 40); do zfs destroy -r $d 2>/dev/null && break; zfs umount -f $d 2>/dev/null; sleep 0.5; done; done; true");
        }

        if (Directory.Exists(JournalDirectory))
        {
            Directory.Delete(JournalDirectory, recursive: true);
        }
    }

    internal sealed record Member(WorkloadName Name, DatasetName Dataset, int Port, WorkloadManifest Manifest, int DataMebibytes);
}
