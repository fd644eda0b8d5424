using System.Globalization;

namespace MigrationTools.Bench;

/// <summary>
/// The engine's hand-written process runner (LocalProcess, ProcessRunner, StreamPump) against CliWrap in the same run:
/// relay throughput locally and over ssh, cancellation (local tree, plain ssh, ssh with the engine's remote wrapper),
/// a child flooding stdout and stderr at once, CliWrap's argument passing, and the OpenSSH client against SSH.NET.
/// </summary>
/// <remarks>
/// bench/processes.sh brings the lab up and runs this. Arguments: --ssh-config PATH --source h1 --target h2
/// --size-mib 1024 --ssh-size-mib 256 --flood-mib 64 --runs 3 --parts relay,flood,cancel,transport (a comma-separated subset).
/// </remarks>
internal static class ProcessRunnerBenchmark
{
    private delegate Task<long> Relay(string[] producer, string[] consumer);

    public static async Task<int> RunAsync(string[] args)
    {
        var options = ParseOptions(args);
        var sshConfig = options["ssh-config"];
        var source = options["source"];
        var target = options["target"];
        var size = Mib(options["size-mib"]);
        var sshSize = Mib(options["ssh-size-mib"]);
        var floodSize = Mib(options["flood-mib"]);
        var runs = int.Parse(options["runs"], CultureInfo.InvariantCulture);
        var parts = options["parts"].Split(',').ToHashSet(StringComparer.Ordinal);
        var work = "/tmp/mtb-proc-" + Guid.NewGuid().ToString("N")[..8];
        Directory.CreateDirectory(work, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        try
        {
            Console.WriteLine($"process runner benchmark: engine runner against CliWrap, {runs} run(s) each, order rotating");
            var runners = new (string Name, Relay Relay)[]
            {
                ("kernel pipe (no controller)", RelayThroughput.KernelAsync),
                ("engine", RelayThroughput.EngineAsync),
                ("CliWrap", RelayThroughput.CliWrapAsync),
                ("CliWrap tuned", RelayThroughput.CliWrapTunedAsync),
            };
            if (parts.Contains("relay"))
            {
                await ThroughputAsync($"local relay, {size >> 20} MiB: head -c | .NET | wc -c", runners, runs, size,
                    ["head", "-c", Text(size), "/dev/zero"], ["wc", "-c"]);
                await ThroughputAsync($"ssh relay, {sshSize >> 20} MiB: ssh {source} head -c | .NET | ssh {target} wc -c", runners, runs, sshSize,
                    ["ssh", "-F", sshConfig, source, $"head -c {sshSize} /dev/zero"], ["ssh", "-F", sshConfig, target, "wc -c"]);
                var cliWrapPipes = await RelayThroughput.CliWrapPipeCapacitiesAsync();
                Console.WriteLine("pipe capacities (producer stdout / consumer stdin): " + string.Join(", ",
                    RelayThroughput.PipeCapacities.Append(new("CliWrap", cliWrapPipes)).Select(p => $"{p.Key} {p.Value.Output >> 10} / {p.Value.Input >> 10} KiB")));
            }

            if (parts.Contains("flood"))
            {
                Console.WriteLine();
                Console.WriteLine($"flooding stdout and stderr with {floodSize >> 20} MiB each at once:");
                Console.WriteLine("| runner | time | stdout bytes received | stderr bytes kept | managed allocations |");
                Console.WriteLine("| --- | --- | --- | --- | --- |");
                foreach (var sample in await DualStreamProbe.RunAsync(floodSize))
                {
                    var time = sample.Seconds is { } seconds ? $"{seconds:0.00} s" : "DEADLOCK (killed after 120 s)";
                    Console.WriteLine($"| {sample.Runner} | {time} | {sample.OutputBytes} | {sample.ErrorBytesKept} | {sample.AllocatedMib:0} MiB |");
                }
            }

            if (parts.Contains("cancel"))
            {
                Console.WriteLine();
                Console.WriteLine($"cancellation of a running sleep 600 (token cancelled once the sleep is seen running on {source}):");
                Console.WriteLine("| runner | command | cancel → task ended | local process gone | the sleep |");
                Console.WriteLine("| --- | --- | --- | --- | --- |");
                var probe = new CancellationProbe(sshConfig, source, work);
                try
                {
                    foreach (var sample in await probe.RunAsync())
                    {
                        var returned = sample.ReturnSeconds is { } seconds ? $"{seconds * 1000:0} ms" : "not cancelled";
                        Console.WriteLine($"| {sample.Runner} | {sample.Command} | {returned} | {(sample.LocalEnded ? "yes" : "NO")} | {sample.Remote} |");
                    }

                    Console.WriteLine($"CliWrap's argument passing, the engine's ssh argv through printf '%s\\0': {probe.ArgumentFidelity}");
                }
                finally
                {
                    await probe.CloseAsync();
                }
            }

            if (parts.Contains("transport"))
            {
                Console.WriteLine();
                await TransportAsync(sshConfig, source, sshSize, runs, work);
            }
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }

        return 0;
    }

    private static async Task ThroughputAsync(string title, (string Name, Relay Relay)[] runners, int runs, long size, string[] producer, string[] consumer)
    {
        var times = runners.ToDictionary(r => r.Name, _ => new List<double>());
        for (var run = 0; run < runs; run++)
        {
            // A different runner goes first each run, so that a warm cache or a busy neighbour favours none.
            foreach (var (name, relay) in runners.Skip(run % runners.Length).Concat(runners.Take(run % runners.Length)))
            {
                long received = 0;
                times[name].Add(await Processes.TimeAsync(async () => received = await relay(producer, consumer)));
                if (received != size)
                {
                    throw new InvalidOperationException($"{name}: {received} bytes arrived of {size}.");
                }
            }
        }

        var engine = Processes.Median(times["engine"]);
        Console.WriteLine();
        Console.WriteLine(title + ":");
        Console.WriteLine("| runner | median time | rate | runner / engine (throughput) | fastest – slowest run |");
        Console.WriteLine("| --- | --- | --- | --- | --- |");
        foreach (var (name, samples) in times)
        {
            var median = Processes.Median(samples);
            Console.WriteLine($"| {name} | {median:0.000} s | {size / median / (1 << 20):0} MiB/s | {engine / median:0.00} | {samples.Min():0.000} – {samples.Max():0.000} s |");
        }
    }

    private static async Task TransportAsync(string sshConfig, string host, long size, int runs, string work)
    {
        var transport = new SshNetThroughput(sshConfig, host);
        const string Gcm = "aes128-gcm@openssh.com";
        const string Ctr = "aes128-ctr";
        var socket = 0;
        var clients = new (string Name, Func<Task<(double Connect, List<double> Reads)>> Measure)[]
        {
            ("OpenSSH, aes128-gcm (the engine's bulk cipher)", () => transport.OpenSshAsync(size, Gcm, runs, $"{work}/s{++socket}-%C")),
            ("OpenSSH, aes128-ctr", () => transport.OpenSshAsync(size, Ctr, runs, $"{work}/s{++socket}-%C")),
            ("OpenSSH, default cipher", () => transport.OpenSshAsync(size, null, runs, $"{work}/s{++socket}-%C")),
            ("SSH.NET, aes128-gcm", () => transport.SshNetAsync(size, Gcm, runs)),
            ("SSH.NET, aes128-ctr", () => transport.SshNetAsync(size, Ctr, runs)),
            ("SSH.NET, default cipher", () => transport.SshNetAsync(size, null, runs)),
        };
        var results = new List<(string Name, double Connect, List<double> Reads)>();
        foreach (var (name, measure) in clients)
        {
            var (connect, reads) = await measure();
            results.Add((name, connect, reads));
        }

        var reference = Processes.Median(results[0].Reads);
        Console.WriteLine($"transport, {size >> 20} MiB from {host} to the controller over a connection already open, host key checked against known_hosts:");
        Console.WriteLine("| client | new connection + empty command | median read | rate | throughput / OpenSSH aes128-gcm | fastest – slowest read |");
        Console.WriteLine("| --- | --- | --- | --- | --- | --- |");
        foreach (var (name, connect, reads) in results)
        {
            var median = Processes.Median(reads);
            Console.WriteLine($"| {name} | {connect * 1000:0} ms | {median:0.000} s | {size / median / (1 << 20):0} MiB/s | {reference / median:0.00} | {reads.Min():0.000} – {reads.Max():0.000} s |");
        }

        Console.WriteLine($"negotiated without a choice: {transport.Ciphers}");

        // What the engine pays per command once its shared connection is up, against the new connections above.
        string[] shared = ["-F", sshConfig, "-o", "ControlMaster=auto", "-o", $"ControlPath={work}/t-%C", "-o", "ControlPersist=60", host];
        await Processes.RunAsync("ssh", [.. shared, "true"]);
        var channels = new List<double>();
        for (var i = 0; i < 5; i++)
        {
            channels.Add(await Processes.TimeAsync(() => Processes.RunAsync("ssh", [.. shared, "true"])));
        }

        await Processes.RunAsync("ssh", [.. shared[..^1], "-O", "exit", host]);
        Console.WriteLine($"OpenSSH over a shared connection (ControlMaster), empty command: {Processes.Median(channels) * 1000:0} ms (median of 5)");
    }

    private static long Mib(string value) => long.Parse(value, CultureInfo.InvariantCulture) << 20;

    private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static Dictionary<string, string> ParseOptions(string[] args)
    {
        var defaults = new Dictionary<string, string>
        {
            ["ssh-config"] = "/var/lib/migrationtools-lab/ssh_config",
            ["source"] = "h1",
            ["target"] = "h2",
            ["size-mib"] = "1024",
            ["ssh-size-mib"] = "256",
            ["flood-mib"] = "64",
            ["runs"] = "3",
            ["parts"] = "relay,flood,cancel,transport",
        };
        return BenchOptions.Parse(args, defaults);
    }
}
