using System.Globalization;
using MigrationTools.Engine.Criu;
using MigrationTools.Engine.Remote;
using MigrationTools.Engine.Workloads;
using MigrationTools.Engine.Zfs;

namespace MigrationTools.Bench;

/// <summary>
/// tests/lab/workloads/memhold.py as a workload of its own: holding <c>sizeMib</c> MiB of random memory, rewriting it at
/// <c>writeMibPerSecond</c>, on a small dataset that is its working directory and holds its state files (ready, checksum).
/// Unique name, dataset and directories; cleanup kills only processes recorded for it (its PID file, or the PID file of a
/// raw restore), by PID.
/// </summary>
internal sealed class MemoryWorkload
{
    private static readonly string Script = BenchLab.FindWorkloadScript("memhold.py");

    private readonly BenchLab _lab;

    public MemoryWorkload(BenchLab lab, int sizeMib, double writeMibPerSecond)
    {
        _lab = lab;
        var id = Guid.NewGuid().ToString("N")[..10];
        Name = WorkloadName.Parse("mem-" + id);
        Dataset = DatasetName.Parse($"{lab.Options.Pool}/mem-{id}");
        Root = "/tmp/mt-mem-" + id;
        Paths = new WorkloadPaths(Root + "/manifests", "/run/mt-mem-" + id);
        string[] command =
        [
            "python3", DataDirectory + "/memhold.py", "--mib", sizeMib.ToString(CultureInfo.InvariantCulture),
            "--write-mib-per-s", writeMibPerSecond.ToString(CultureInfo.InvariantCulture), "--state", DataDirectory,
        ];
        // It serves nothing; restored, it is healthy as soon as it runs, and its state says it filled its memory.
        var health = HealthCheck.ForCommand(["test", "-e", DataDirectory + "/ready"], 10);
        Manifest = new WorkloadManifest(Name, [Dataset], command, CheckpointMode.Criu, DataDirectory, null, health);
    }

    public WorkloadName Name { get; }

    public DatasetName Dataset { get; }

    public string Root { get; }

    public WorkloadPaths Paths { get; }

    public WorkloadManifest Manifest { get; }

    public string DataDirectory => "/" + Dataset.Value;

    /// <summary>Creates the dataset on the source, declares the workload there, starts it and waits until its memory is filled.</summary>
    public async Task CreateAndStartAsync()
    {
        var source = _lab.Options.Source;
        await _lab.SshAsync(source, $"zfs create {Dataset}");
        await _lab.SshAsync(source, $"cat > {DataDirectory}/memhold.py", Script);
        using (var connection = _lab.Connect(source))
        {
            await new WorkloadCatalog(connection, Paths).RegisterAsync(Manifest);
            await new WorkloadRuntime(connection, Paths).StartAsync(Manifest);
        }

        // Filling 1.5 GiB from the kernel's random source and hashing it takes seconds on a busy machine.
        await _lab.SshAsync(source,
            $"for i in $(seq 1200); do [ -e {DataDirectory}/ready ] && exit 0; sleep 0.1; done; " +
            $"echo '{Name} did not fill its memory within 120 s' >&2; cat {Paths.OutputLog(Name)} >&2; exit 1");
    }

    /// <summary>The workload's process on the source, as its PID file records it.</summary>
    public async Task<WorkloadProcess> SourceProcessAsync()
    {
        using var connection = _lab.Connect(_lab.Options.Source);
        return (await new WorkloadRuntime(connection, Paths).GetStatusAsync(Name)).Process
            ?? throw new InvalidOperationException($"{Name} is not running on {_lab.Options.Source}.");
    }

    /// <summary>
    /// Asks the workload on <paramref name="host"/> for the checksum of its whole memory and returns it: the request file
    /// appears, the workload hashes, writes the checksum and deletes the request.
    /// </summary>
    public async Task<string> ChecksumAsync(string host)
    {
        var d = DataDirectory;
        var answer = await _lab.SshAsync(host,
            $"rm -f {d}/checksum && touch {d}/checksum-request && " +
            $"for i in $(seq 2400); do [ -e {d}/checksum-request ] || {{ cat {d}/checksum; exit 0; }}; sleep 0.05; done; " +
            $"echo 'no checksum from {Name} on {host} within 120 s' >&2; exit 1");
        var checksum = answer.Trim();
        return checksum.Length == 64 ? checksum : throw new InvalidOperationException($"{Name} on {host} wrote \"{checksum}\" as its checksum.");
    }

    /// <summary>
    /// Kills the workload's recorded processes on both hosts (its PID file; a raw restore's restore.pid in
    /// <paramref name="rawImages"/>), releases the migration's holds, and removes its dataset, directories and images.
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
                $"! zfs list {Dataset} >/dev/null 2>&1 || echo 'cleanup: {Dataset} could not be destroyed on {host}' >&2; true");
        }
    }
}
