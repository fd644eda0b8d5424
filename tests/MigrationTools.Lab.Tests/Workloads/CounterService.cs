using System.Text.Json.Serialization;
using MigrationTools.Engine.Workloads;
using MigrationTools.Engine.Zfs;
using MigrationTools.Lab.Tests.Lab;

namespace MigrationTools.Lab.Tests.Workloads;

/// <summary>
/// The lab's counter service as a workload of its own: a unique name, dataset (tank/wl-&lt;12 hex&gt;), port
/// (20000-29999) and manifest and runtime directories, so that tests never touch anyone else's. Cleanup kills only
/// the processes these tests recorded, by PID. It is read where it runs: on the lab host whose 127.0.0.1 answers.
/// </summary>
internal sealed class CounterService
{
    private static readonly string CounterScript =
        Path.Combine(LabEnvironment.RepositoryRoot, "tests", "lab", "workloads", "counter.py");

    private readonly LabFixture _lab;
    private readonly LabHttp _http;

    public CounterService(LabFixture lab)
    {
        _lab = lab;
        var id = Guid.NewGuid().ToString("N")[..12];
        Name = WorkloadName.Parse("wl-" + id);
        Dataset = DatasetName.Parse($"{lab.Pool}/wl-{id}");
        Port = Random.Shared.Next(20000, 30000);
        Root = "/tmp/mt-wl-" + id;
        Paths = new WorkloadPaths(Root + "/manifests", "/run/mt-wl-" + id);
        _http = new LabHttp(lab);
    }

    public WorkloadName Name { get; }

    public DatasetName Dataset { get; }

    public int Port { get; }

    /// <summary>A directory of the test's own on every host (manifests live below it).</summary>
    public string Root { get; }

    public WorkloadPaths Paths { get; }

    public string DataDirectory => "/" + Dataset.Value;

    public WorkloadManifest Manifest => ManifestWith();

    /// <summary>The service's manifest with another checkpoint mode, health check or policy.</summary>
    public WorkloadManifest ManifestWith(
        CheckpointMode mode = CheckpointMode.Criu, HealthCheck? health = null, MigrationPolicy policy = MigrationPolicy.Allowed) => new(
        Name,
        [Dataset],
        ["python3", DataDirectory + "/counter.py", "--data-dir", DataDirectory, "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture)],
        mode,
        DataDirectory,
        new Dictionary<string, string> { ["MT_TEST_GREETING"] = "it's \"quoted\" $HOME `x`" },
        health ?? HealthCheck.ForTcpPort(Port, 5),
        policy);

    /// <summary>Creates the dataset on <paramref name="host"/> and puts the service's script on it.</summary>
    public async Task CreateDatasetAsync(string host)
    {
        await _lab.SshCheckedAsync(host, $"zfs create {Dataset}");
        await using var script = File.OpenRead(CounterScript);
        (await _lab.SshAsync(host, $"cat > {DataDirectory}/counter.py", script)).EnsureSuccess();
    }

    public async Task<CounterState> WaitForServiceAsync(TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (true)
        {
            try
            {
                return await ReadAsync();
            }
            catch (Exception e) when ((e is HttpRequestException or TaskCanceledException) && DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }
        }
    }

    /// <summary>The service's state from the one host it answers on; throws when it answers on none, or on several.</summary>
    public Task<CounterState> ReadAsync() => _http.GetFromTheHostRunningItAsync<CounterState>(Port);

    /// <summary>How many values the service has logged on <paramref name="host"/> (it appends one per tick).</summary>
    public async Task<int> LoggedValuesAsync(string host) =>
        int.Parse((await _lab.SshCheckedAsync(host, $"wc -l < {DataDirectory}/counter.log")).Trim(), System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>
    /// Kills the processes recorded for this workload on every host (by the PID file's PID, after checking its start
    /// time), then removes the dataset, the runtime and manifest directories and <paramref name="imageDirectories"/>.
    /// </summary>
    public async Task CleanUpAsync(params string[] imageDirectories)
    {
        foreach (var host in new[] { "h1", "h2" })
        {
            try
            {
                using var connection = _lab.Connect(host);
                await new WorkloadRuntime(connection, Paths).KillAsync(Name);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // Cleanup goes on; the dataset and directories below still go.
            }

            // A tree restored by a controller that died before recording its PID has no PID file: find it by this
            // test's own script path, which no other process runs.
            await _lab.SshAsync(host,
                $"for p in /proc/[0-9]*; do case $(tr '\\000' ' ' 2>/dev/null < $p/cmdline) in " +
                $"*'{DataDirectory}/counter.py '*) kill -KILL ${{p#/proc/}};; esac; done; true");

            var images = string.Join(' ', imageDirectories.Select(d => $"'{d}' '{d}'.incoming.*"));
            await _lab.SshAsync(host,
                $"rm -rf {Root} {Paths.RuntimeDirectory} {images}; " +
                $"for wait in 0 1 2; do zfs list {Dataset} >/dev/null 2>&1 || break; sleep $wait; zfs destroy -r {Dataset}; done; true");
        }
    }
}

internal sealed record CounterState(
    [property: JsonPropertyName("counter")] long Counter,
    [property: JsonPropertyName("token")] string Token,
    [property: JsonPropertyName("hostname")] string Hostname);
