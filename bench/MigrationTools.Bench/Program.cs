using System.Diagnostics;
using System.Globalization;
using MigrationTools.Engine.Remote;
using MigrationTools.Engine.Replication;
using MigrationTools.Engine.Transfer;
using MigrationTools.Engine.Zfs;

namespace MigrationTools.Bench;

/// <summary>
/// Replication throughput on the lab: the raw ssh pipelines and the engine's relay and direct paths on the
/// same data in the same run, an incremental round's bytes against the raw delta, an idle round's time, and
/// the controller's peak memory while it relays the whole stream.
/// </summary>
/// <remarks>
/// bench/replication.sh brings the lab up and runs this. Arguments: --ssh-config PATH --source h1 --target h2
/// --pool tank --size-mib 1024 --runs 3. "relay-child" is the memory probe it starts as a separate process.
/// "downtime" runs the switch downtime benchmark instead (<see cref="DowntimeBenchmark"/>, bench/downtime.sh), "processes"
/// the process runner benchmark (<see cref="ProcessRunnerBenchmark"/>, bench/processes.sh), "memory" the downtime against the
/// workload's memory (<see cref="MemoryBenchmark"/>, bench/memory.sh).
/// </remarks>
public static class Program
{
    private static string _sshConfig = "/var/lib/migrationtools-lab/ssh_config";

    public static async Task<int> Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "relay-child")
        {
            return await RelayChildAsync(args[1..]);
        }

        if (args.Length > 0 && args[0] == "downtime")
        {
            return await DowntimeBenchmark.RunAsync(args[1..]);
        }

        if (args.Length > 0 && args[0] == "memory")
        {
            return await MemoryBenchmark.RunAsync(args[1..]);
        }

        if (args.Length > 0 && args[0] == "processes")
        {
            return await ProcessRunnerBenchmark.RunAsync(args[1..]);
        }

        var options = ParseOptions(args);
        _sshConfig = options["ssh-config"];
        var source = options["source"];
        var target = options["target"];
        var pool = options["pool"];
        var sizeMib = int.Parse(options["size-mib"], CultureInfo.InvariantCulture);
        var runs = int.Parse(options["runs"], CultureInfo.InvariantCulture);
        var id = Guid.NewGuid().ToString("N")[..6];
        var dataset = DatasetName.Parse($"{pool}/bench-{id}");
        var copy = DatasetName.Parse($"{pool}/bench-{id}-copy");

        Console.WriteLine($"replication benchmark: {sizeMib} MiB of random data, {source} -> {target}, {runs} run(s) each");
        await SshAsync(source, $"zfs create {dataset} && head -c {sizeMib}M /dev/urandom > /{dataset}/data && zfs snapshot {dataset}@base");
        try
        {
            var streamBytes = long.Parse((await SshAsync(source, $"zfs send {dataset}@base | wc -c")).Trim(), CultureInfo.InvariantCulture);
            var times = new Dictionary<string, List<double>>
            {
                ["raw relay"] = [], ["engine relay"] = [], ["raw direct"] = [], ["engine direct"] = [],
            };

            for (var run = 1; run <= runs; run++)
            {
                times["raw relay"].Add(await Processes.TimeAsync(() => ShellAsync(
                    $"set -o pipefail; ssh -F '{_sshConfig}' {source} 'zfs send {dataset}@base' | ssh -F '{_sshConfig}' {target} 'zfs receive {copy}'")));
                await DestroyAsync(target, copy);
                times["engine relay"].Add(await Processes.TimeAsync(() => EngineRoundAsync(source, target, dataset, copy, $"b{id}r{run}", TransferPath.Relay)));
                await DestroyAsync(target, copy);
                times["raw direct"].Add(await Processes.TimeAsync(() => SshAsync(source, $"zfs send {dataset}@base | ssh {target} zfs receive {copy}")));
                await DestroyAsync(target, copy);
                times["engine direct"].Add(await Processes.TimeAsync(() => EngineRoundAsync(source, target, dataset, copy, $"b{id}d{run}", TransferPath.Direct)));
                await DestroyAsync(target, copy);
                Console.WriteLine($"  run {run}: " + string.Join(", ", times.Select(t => $"{t.Key} {t.Value[^1]:0.00} s")));
            }

            Console.WriteLine();
            Console.WriteLine($"| path | median time | rate | engine / raw |");
            Console.WriteLine($"| --- | --- | --- | --- |");
            foreach (var (name, samples) in times)
            {
                var median = Processes.Median(samples);
                var raw = Processes.Median(times[name.Replace("engine", "raw", StringComparison.Ordinal)]);
                var ratio = name.StartsWith("engine", StringComparison.Ordinal) ? $"{raw / median:0.00}" : "";
                Console.WriteLine($"| {name} | {median:0.00} s | {streamBytes / median / (1 << 20):0} MiB/s | {ratio} |");
            }

            await IncrementalAsync(source, target, dataset, copy, $"b{id}i");
            await MemoryAsync(source, target, dataset, copy, $"b{id}m", sizeMib);
        }
        finally
        {
            await DestroyAsync(target, copy);
            await DestroyAsync(source, dataset);
        }

        return 0;
    }

    /// <summary>One full engine round into an absent target, then the migration's snapshots released and dropped.</summary>
    private static async Task EngineRoundAsync(string source, string target, DatasetName dataset, DatasetName copy, string migrationId, TransferPath path)
    {
        using var from = Connect(source);
        using var to = Connect(target);
        var replicator = new ZfsReplicator(new ZfsHost(from), new ZfsHost(to));
        var request = new ReplicationRequest(dataset, copy, migrationId) { Path = path };
        await replicator.ReplicateAsync(request);
        await replicator.ReleaseAsync(request, destroySnapshots: true);
    }

    private static async Task IncrementalAsync(string source, string target, DatasetName dataset, DatasetName copy, string migrationId)
    {
        using var from = Connect(source);
        using var to = Connect(target);
        var replicator = new ZfsReplicator(new ZfsHost(from), new ZfsHost(to));
        var request = new ReplicationRequest(dataset, copy, migrationId);
        var full = await replicator.ReplicateAsync(request);
        await SshAsync(source, $"dd if=/dev/urandom of=/{dataset}/data bs=1M count=64 seek=100 conv=notrunc status=none");

        var round = await replicator.ReplicateAsync(request);
        var delta = long.Parse(
            (await SshAsync(source, $"zfs send -i {full.Snapshot} {round.Snapshot} | wc -c")).Trim(), CultureInfo.InvariantCulture);
        var idle = Stopwatch.StartNew();
        var idleRound = await replicator.ReplicateAsync(request);
        idle.Stop();

        Console.WriteLine();
        Console.WriteLine($"incremental round after rewriting 64 MiB: {round.Bytes} bytes sent, raw delta {delta} bytes, " +
            $"ratio {(double)round.Bytes / delta:0.000} (target <= 1.05 x delta + 1 MiB: {(round.Bytes <= delta * 1.05 + (1 << 20) ? "met" : "MISSED")})");
        Console.WriteLine($"idle round (no changes, warm connections): {idle.Elapsed.TotalSeconds:0.000} s, {idleRound.Bytes} bytes " +
            $"(target < 0.3 s: {(idle.Elapsed < TimeSpan.FromSeconds(0.3) ? "met" : "MISSED")})");
        await replicator.ReleaseAsync(request, destroySnapshots: true);
        await DestroyAsync(target, copy);
    }

    /// <summary>Relays the whole stream in a process of its own and reads that process's peak resident memory.</summary>
    private static async Task MemoryAsync(string source, string target, DatasetName dataset, DatasetName copy, string migrationId, int sizeMib)
    {
        var self = Environment.ProcessPath ?? throw new InvalidOperationException("No process path.");
        var arguments = new List<string>();
        if (self.EndsWith("dotnet", StringComparison.Ordinal))
        {
            arguments.Add(typeof(Program).Assembly.Location);
        }

        arguments.AddRange(["relay-child", _sshConfig, source, target, dataset.Value, copy.Value, migrationId]);
        var result = await Processes.RunAsync(self, arguments);
        var peakKib = long.Parse(result.Trim().Split(' ')[^1], CultureInfo.InvariantCulture);
        Console.WriteLine($"controller peak memory while relaying {sizeMib} MiB: {peakKib / 1024.0:0} MiB " +
            $"(target < 150 MiB: {(peakKib < 150 * 1024 ? "met" : "MISSED")})");
        await DestroyAsync(target, copy);
    }

    private static async Task<int> RelayChildAsync(string[] args)
    {
        _sshConfig = args[0];
        await EngineRoundAsync(args[1], args[2], DatasetName.Parse(args[3]), DatasetName.Parse(args[4]), args[5], TransferPath.Relay);
        var peak = File.ReadLines("/proc/self/status").First(line => line.StartsWith("VmHWM:", StringComparison.Ordinal));
        Console.WriteLine("peak-rss-kib " + peak.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]);
        return 0;
    }

    private static SshConnection Connect(string host) =>
        new(SshDestination.Parse(host), new SshOptions { ConfigFile = _sshConfig });

    private static async Task DestroyAsync(string host, DatasetName dataset) =>
        await ShellAsync($"ssh -F '{_sshConfig}' {host} 'zfs destroy -r {dataset} 2>/dev/null || (sleep 1; zfs destroy -r {dataset} 2>/dev/null) || true'");

    private static Task<string> SshAsync(string host, string commandLine) =>
        Processes.RunAsync("ssh", ["-F", _sshConfig, host, commandLine]);

    private static Task<string> ShellAsync(string script) => Processes.RunAsync("bash", ["-c", script]);

    private static Dictionary<string, string> ParseOptions(string[] args)
    {
        var defaults = new Dictionary<string, string>
        {
            ["ssh-config"] = _sshConfig, ["source"] = "h1", ["target"] = "h2", ["pool"] = "tank", ["size-mib"] = "1024", ["runs"] = "3",
        };
        return BenchOptions.Parse(args, defaults);
    }
}
