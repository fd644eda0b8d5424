using System.Globalization;
using MigrationTools.Engine.Criu;
using MigrationTools.Engine.Migrations;
using MigrationTools.Engine.Remote;
using MigrationTools.Engine.Transfer;
using MigrationTools.Engine.Workloads;

namespace MigrationTools.Bench;

/// <summary>
/// How a live switch's downtime grows with the workload's memory: memhold workloads of each size, idle and rewriting
/// their memory, moved by hand (criu dump, the images through the controller, criu restore) and by the engine's live
/// switch with post-copy and with stop-and-copy, in the same run; the memory's checksum compared across every idle move.
/// </summary>
/// <remarks>
/// bench/memory.sh brings the lab up and runs this. Arguments: --ssh-config PATH --source h1 --target h2 --pool tank
/// --sizes-mib 64,512,1536 --write-mib-per-s 20 (0: idle only) --runs 3 [--quick] (64 and 512 MiB, one run).
/// </remarks>
internal static class MemoryBenchmark
{
    /// <summary>Post-copy's downtime at the largest size, idle, at most this (seconds).</summary>
    private const double PostCopyDowntimeTarget = 1.0;

    /// <summary>Post-copy at the largest size, idle, at least this many times better than by hand.</summary>
    private const double PostCopyGainTarget = 10;

    /// <summary>Post-copy's downtime at the largest size at most this many times the smallest's.</summary>
    private const double PostCopyGrowthTarget = 2;

    /// <summary>Streamed stop-and-copy's downtime at most this share of by hand.</summary>
    private const double StopAndCopyShareTarget = 0.6;

    /// <summary>The engine's bulk cipher (SshOptions.DefaultBulkCipher, internal to the engine).</summary>
    private const string EngineBulkCipher = "aes128-gcm@openssh.com";

    public static async Task<int> RunAsync(string[] args)
    {
        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
        var options = MemoryOptions.Parse(args);
        // The raw images travel with the cipher the engine asks for when the ssh configuration leaves it open, so that the
        // comparison is between ways of moving memory, not between ciphers.
        var lab = new BenchLab(
            new DowntimeOptions(options.SshConfig, "", options.Source, options.Target, options.Pool, options.SizesMib, DeltaMib: 0, options.Runs, Trace: false, ClientsOnly: false),
            EngineBulkCipher);
        var samples = new List<MemorySample>();
        var failures = new List<string>();
        try
        {
            Console.WriteLine($"memory benchmark: memhold holding {string.Join(", ", options.SizesMib.Select(s => s + " MiB"))}, " +
                $"{string.Join(" and ", options.Loads.Select(Load))}, {options.Source} -> {options.Target}, {options.Runs} run(s) each of " +
                $"by hand (criu dump, tar through the controller over {EngineBulkCipher}, criu restore), the engine with post-copy, the engine with stop-and-copy");
            Console.WriteLine($"machine: {Environment.ProcessorCount} cores, kernel {(await Processes.RunAsync("uname", ["-r"])).Trim()}, uptime: " +
                (await Processes.RunAsync("uptime", [])).Trim());
            Console.WriteLine();

            MemoryMethod[] methods = [MemoryMethod.Raw, MemoryMethod.PostCopy, MemoryMethod.StopAndCopy];
            // Runs outside, sizes and loads inside, the methods' order rotating: a drift in the machine's load weighs on all alike.
            for (var run = 1; run <= options.Runs; run++)
            {
                foreach (var size in options.SizesMib)
                {
                    foreach (var rate in options.Loads)
                    {
                        for (var k = 0; k < methods.Length; k++)
                        {
                            var method = methods[(k + run - 1) % methods.Length];
                            MemorySample sample;
                            try
                            {
                                sample = method == MemoryMethod.Raw
                                    ? await RawMemorySwitch.RunAsync(lab, size, rate, run)
                                    : await EngineMemorySwitch.RunAsync(lab, size, rate, method, run);
                            }
                            catch (Exception e) when (e is InvalidOperationException or TimeoutException or OperationCanceledException
                                or RemoteException or MigrationFailedException or MigrationRefusedException or MigrationPlanFailedException
                                or CriuException or WorkloadException or TransferFailedException)
                            {
                                // One failed move is a result too; the others still measure.
                                failures.Add($"{method} {size} MiB {Load(rate)} run {run}: {e.GetType().Name}: {e.Message}");
                                Console.WriteLine($"!!! FAILED: {failures[^1]}");
                                continue;
                            }

                            samples.Add(sample);
                            Console.WriteLine(sample);
                            if (sample.ChecksumMatches == false)
                            {
                                Console.WriteLine($"!!! CHECKSUM MISMATCH: {sample.Method} moved {sample.SizeMib} MiB idle and its memory changed on the way !!!");
                            }
                        }
                    }
                }
            }

            Summary(options, samples);
            foreach (var failure in failures)
            {
                Console.WriteLine($"- !!! a move FAILED (not in the figures): {failure}");
            }

            Console.WriteLine();
            Console.WriteLine("uptime at the end: " + (await Processes.RunAsync("uptime", [])).Trim());
        }
        finally
        {
            await lab.DisposeAsync();
        }

        return samples.Any(s => s.ChecksumMatches == false) ? 2 : failures.Count > 0 ? 1 : 0;
    }

    private static string Load(double rate) => rate <= 0 ? "idle" : $"writing {rate:0.#} MiB/s";

    private static void Summary(MemoryOptions options, List<MemorySample> samples)
    {
        static string S(double seconds) => $"{seconds:0.000}";
        static double M(IEnumerable<double> values) => Processes.Median(values);
        List<MemorySample> Of(int size, double rate, MemoryMethod method) =>
            samples.Where(s => s.SizeMib == size && s.WriteMibPerSecond == rate && s.Method == method).ToList();
        double Raw(int size, double rate) => M(Of(size, rate, MemoryMethod.Raw).Select(s => s.Downtime));
        double Downtime(int size, double rate, MemoryMethod method) => M(Of(size, rate, method).Select(s => s.Downtime));

        Console.WriteLine();
        Console.WriteLine($"{options.Runs} run(s); seconds; downtime: the engine's record (frozen to healthy), by hand from the dump's start to the restore's return; " +
            "until every page: from the freeze until the last page was on the destination (post-copy: downtime less health check plus the post-copy part)");
        Console.WriteLine();
        Console.WriteLine("| memory | load | method | recorded as | downtime median | min | max | until every page | raw stop-and-copy median | downtime / raw | checksums | load average |");
        Console.WriteLine("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
        foreach (var size in options.SizesMib)
        {
            foreach (var rate in options.Loads)
            {
                foreach (var method in new[] { MemoryMethod.Raw, MemoryMethod.PostCopy, MemoryMethod.StopAndCopy })
                {
                    var set = Of(size, rate, method);
                    if (set.Count == 0)
                    {
                        Console.WriteLine($"| {size} MiB | {Load(rate)} | {Name(method)} | every move FAILED | | | | | | | | |");
                        continue;
                    }

                    var downtime = M(set.Select(s => s.Downtime));
                    var checksums = set[0].Idle
                        ? (set.All(s => s.ChecksumMatches == true) ? $"{set.Count} of {set.Count} match" : $"MISMATCH in {set.Count(s => s.ChecksumMatches == false)} of {set.Count}")
                        : "not compared";
                    Console.WriteLine($"| {size} MiB | {Load(rate)} | {Name(method)} | {string.Join(", ", set.Select(s => s.Recorded).Distinct())} | {S(downtime)} | " +
                        $"{S(set.Min(s => s.Downtime))} | {S(set.Max(s => s.Downtime))} | {S(M(set.Select(s => s.UntilEveryPage)))} | {S(Raw(size, rate))} | " +
                        $"{downtime / Raw(size, rate):0.00} | {checksums} | {string.Join(" ", set.Select(s => s.Load))} |");
                }
            }
        }

        var (small, large) = (options.SizesMib.Min(), options.SizesMib.Max());
        Console.WriteLine();
        Console.WriteLine("targets (medians, as measured):");
        if (options.Loads.Contains(0))
        {
            var postCopy = Downtime(large, 0, MemoryMethod.PostCopy);
            var raw = Raw(large, 0);
            Console.WriteLine($"- post-copy downtime at {large} MiB idle <= {PostCopyDowntimeTarget:0.0} s: {S(postCopy)} s, " +
                Verdict(postCopy <= PostCopyDowntimeTarget, postCopy));
            Console.WriteLine($"- post-copy at {large} MiB idle >= {PostCopyGainTarget:0} x better than by hand: {raw / postCopy:0.0} x ({S(raw)} s by hand), " +
                Verdict(raw / postCopy >= PostCopyGainTarget, raw / postCopy));
        }

        foreach (var rate in options.Loads)
        {
            var growth = Downtime(large, rate, MemoryMethod.PostCopy) / Downtime(small, rate, MemoryMethod.PostCopy);
            Console.WriteLine($"- post-copy downtime at {large} MiB within {PostCopyGrowthTarget:0} x of {small} MiB, {Load(rate)}: {growth:0.00} x, " +
                Verdict(growth <= PostCopyGrowthTarget, growth));
        }

        foreach (var size in options.SizesMib)
        {
            foreach (var rate in options.Loads)
            {
                var share = Downtime(size, rate, MemoryMethod.StopAndCopy) / Raw(size, rate);
                Console.WriteLine($"- stop-and-copy downtime <= {StopAndCopyShareTarget:0.0} x by hand at {size} MiB {Load(rate)}: {share:0.00} x, " +
                    Verdict(share <= StopAndCopyShareTarget, share));
            }
        }

        var mismatches = samples.Count(s => s.ChecksumMatches == false);
        Console.WriteLine(mismatches == 0
            ? $"- memory checksums: all {samples.Count(s => s.Idle)} idle moves arrived intact"
            : $"- memory checksums: !!! {mismatches} of {samples.Count(s => s.Idle)} idle moves CHANGED the memory !!!");
    }

    private static string Name(MemoryMethod method) => method switch
    {
        MemoryMethod.Raw => "raw stop-and-copy",
        MemoryMethod.PostCopy => "engine, post-copy",
        _ => "engine, stop-and-copy",
    };

    /// <summary>Met or missed; not measured when a figure it needs has no successful move (NaN).</summary>
    private static string Verdict(bool met, double figure) => double.IsNaN(figure) ? "NOT MEASURED (moves failed)" : met ? "met" : "MISSED";
}

/// <summary>The memory benchmark's arguments.</summary>
internal sealed record MemoryOptions(
    string SshConfig, string Source, string Target, string Pool, IReadOnlyList<int> SizesMib, IReadOnlyList<double> Loads, int Runs)
{
    public static MemoryOptions Parse(string[] args)
    {
        var values = new Dictionary<string, string>
        {
            ["ssh-config"] = "/var/lib/migrationtools-lab/ssh_config", ["source"] = "h1", ["target"] = "h2", ["pool"] = "tank",
            ["sizes-mib"] = "64,512,1536", ["write-mib-per-s"] = "20", ["runs"] = "3",
        };
        var quick = false;
        for (var i = 0; i < args.Length; i++)
        {
            var name = args[i].TrimStart('-');
            if (name == "quick")
            {
                quick = true;
            }
            else if (values.ContainsKey(name) && i + 1 < args.Length)
            {
                values[name] = args[++i];
            }
            else
            {
                throw new ArgumentException($"Unknown option {args[i]}; known: {string.Join(", ", values.Keys.Select(k => "--" + k))}, --quick.");
            }
        }

        static int Number(string text) => int.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture);
        var rate = double.Parse(values["write-mib-per-s"], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);
        var sizes = quick ? [64, 512] : values["sizes-mib"].Split(',').Select(Number).ToArray();
        var runs = quick ? 1 : Number(values["runs"]);
        if (runs < 1 || sizes.Length == 0 || sizes.Any(s => s < 1))
        {
            throw new ArgumentException("--runs and every size must be at least 1.");
        }

        return new MemoryOptions(
            values["ssh-config"], values["source"], values["target"], values["pool"], sizes, rate > 0 ? [0, rate] : [0], runs);
    }
}
