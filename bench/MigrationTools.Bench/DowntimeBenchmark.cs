using System.Globalization;
using System.Runtime.Versioning;
using MigrationTools.Engine.Migrations;

// The lab, and so every benchmark, runs on Linux only.
[assembly: SupportedOSPlatform("linux")]

namespace MigrationTools.Bench;

/// <summary>
/// Switch downtime on the lab: the engine's switch of the counter service (checkpoint, final delta and images,
/// restore, health, commit) against the raw steps it is made of, run on the same kind of workload and delta in the
/// same run; for each dataset size, so that a downtime that grows with the data shows.
/// </summary>
/// <remarks>
/// bench/downtime.sh brings the lab up and runs this. Arguments: --ssh-config PATH [--lab-env PATH] --source h1 --target h2
/// --pool tank --sizes-mib 256,2048 --delta-mib 8 --runs 3 [--trace] [--clients-only]. Each run moves a fresh service three
/// times, in an order that rotates from run to run: with the engine and by hand (the raw steps), which compare step by step,
/// and with the engine the normal way while a client in the lab's client namespace talks to the service's address
/// (<see cref="ClientSwitch"/>). With --clients-only, only the last. With --trace, one more engine switch per size runs with every
/// ssh command the engine starts timed (a wrapper script), and its timeline is printed; it is not part of the medians.
/// </remarks>
internal static class DowntimeBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
        var options = DowntimeOptions.Parse(args);
        var bench = new BenchLab(options);
        try
        {
            Console.WriteLine($"switch downtime benchmark: counter service on a dataset of {string.Join(" and ", options.SizesMib.Select(s => s + " MiB"))}, " +
                $"{options.DeltaMib} MiB written just before the switch, {options.Source} -> {options.Target}, {options.Runs} run(s) each");
            Console.WriteLine($"machine: {await MachineAsync()}");
            Console.WriteLine();

            var engine = new List<EngineSample>();
            var raw = new List<RawSample>();
            var clients = new List<ClientSample>();
            // Runs outside, sizes inside: a drift in the machine's load then weighs on every size alike.
            for (var run = 1; run <= options.Runs; run++)
            {
                foreach (var size in options.SizesMib)
                {
                    var kinds = new List<Func<Task>> { async () => clients.Add(Print(await ClientSwitch.RunAsync(bench, size, run))) };
                    if (!options.ClientsOnly)
                    {
                        kinds.Add(async () => engine.Add(Print(await EngineSwitch.RunAsync(bench, size, run, trace: false))));
                        kinds.Add(async () => raw.Add(Print(await RawSwitch.RunAsync(bench, size, run))));
                    }

                    // Rotate which goes first, so a drift in the machine's load does not favour one side.
                    for (var k = 0; k < kinds.Count; k++)
                    {
                        await kinds[(k + run - 1) % kinds.Count]();
                    }
                }
            }

            ClientSummary(options, clients);
            if (options.ClientsOnly)
            {
                return 0;
            }

            Summary(options, engine, raw);
            var repeats = Math.Max(5, 2 * options.Runs);
            var (engineRelay, rawRelay) = await RelayProbe.RunAsync(bench, 10, repeats);
            Console.WriteLine();
            Console.WriteLine($"relaying 10 MiB through the controller, nothing else running, median of {repeats}: engine relay {engineRelay * 1000:0} ms, " +
                $"raw ssh | ssh {rawRelay * 1000:0} ms ({engineRelay / rawRelay:0.00} x); load {LoadAverage()}");
            if (options.Trace)
            {
                foreach (var size in options.SizesMib)
                {
                    var traced = await EngineSwitch.RunAsync(bench, size, 0, trace: true);
                    Console.WriteLine();
                    Console.WriteLine($"traced engine switch, {size} MiB (every ssh command timed; not in the medians):");
                    Print(traced);
                    foreach (var line in traced.Timeline)
                    {
                        Console.WriteLine("  " + line);
                    }
                }
            }
        }
        finally
        {
            await bench.DisposeAsync();
        }

        return 0;
    }

    private static T Print<T>(T sample)
        where T : notnull
    {
        Console.WriteLine(sample.ToString());
        return sample;
    }

    private static void ClientSummary(DowntimeOptions options, List<ClientSample> clients)
    {
        static string S(double seconds) => $"{seconds:0.000}";
        double M(IEnumerable<double> values) => Processes.Median(values);

        Console.WriteLine();
        Console.WriteLine($"as a client sees it (switch with established TCP connections, source frozen until the destination is healthy), " +
            $"target: a client's longest gap <= {ClientSample.Target} x the engine's downtime; seconds:");
        Console.WriteLine();
        Console.WriteLine("| dataset | run | engine downtime | established gap | / downtime | fresh gap | / downtime | connection survived | load |");
        Console.WriteLine("| --- | --- | --- | --- | --- | --- | --- | --- | --- |");
        foreach (var c in clients.OrderBy(c => c.SizeMib).ThenBy(c => c.Run))
        {
            Console.WriteLine($"| {c.SizeMib} MiB | {c.Run} | {S(c.Downtime)} | {S(c.EstablishedGap)} | {c.EstablishedRatio:0.000} {ClientSample.Verdict(c.EstablishedRatio)} | " +
                $"{S(c.FreshGap)} | {c.FreshRatio:0.000} {ClientSample.Verdict(c.FreshRatio)} | {(c.Seen.Survived ? "yes" : "NO")} | {c.Load} |");
        }

        foreach (var size in options.SizesMib)
        {
            var c = clients.Where(s => s.SizeMib == size).ToList();
            var (downtime, established, fresh) = (M(c.Select(s => s.Downtime)), M(c.Select(s => s.EstablishedGap)), M(c.Select(s => s.FreshGap)));
            Console.WriteLine($"| {size} MiB | median of {c.Count} | {S(downtime)} | {S(established)} | {M(c.Select(s => s.EstablishedRatio)):0.000} " +
                $"{ClientSample.Verdict(M(c.Select(s => s.EstablishedRatio)))} | {S(fresh)} | {M(c.Select(s => s.FreshRatio)):0.000} " +
                $"{ClientSample.Verdict(M(c.Select(s => s.FreshRatio)))} | {c.Count(s => s.Seen.Survived)} of {c.Count} | |");
        }

        Console.WriteLine();
        Console.WriteLine($"every run within {ClientSample.Target} x: established {(clients.All(c => c.EstablishedRatio <= ClientSample.Target) ? "met" : "MISSED")}, " +
            $"fresh {(clients.All(c => c.FreshRatio <= ClientSample.Target) ? "met" : "MISSED")}; " +
            $"the established connection survived in {clients.Count(c => c.Seen.Survived)} of {clients.Count} run(s)");
    }

    private static void Summary(DowntimeOptions options, List<EngineSample> engine, List<RawSample> raw)
    {
        static string S(double seconds) => $"{seconds:0.000}";
        double M(IEnumerable<double> values) => Processes.Median(values);

        Console.WriteLine();
        Console.WriteLine($"medians of {options.Runs} run(s), seconds:");
        Console.WriteLine();
        Console.WriteLine("| dataset | raw dump | raw delta | raw images | raw kill | raw remount | raw restore | raw sum | raw critical path | first answer after restore |");
        Console.WriteLine("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
        foreach (var size in options.SizesMib)
        {
            var r = raw.Where(s => s.SizeMib == size).ToList();
            Console.WriteLine($"| {size} MiB | {S(M(r.Select(s => s.Dump)))} | {S(M(r.Select(s => s.Delta)))} | {S(M(r.Select(s => s.Images)))} | " +
                $"{S(M(r.Select(s => s.Kill)))} | {S(M(r.Select(s => s.Remount)))} | {S(M(r.Select(s => s.Restore)))} | {S(M(r.Select(s => s.Sum)))} | " +
                $"{S(M(r.Select(s => s.CriticalPath)))} | {S(M(r.Select(s => s.FirstAnswer)))} |");
        }

        Console.WriteLine();
        Console.WriteLine("| dataset | engine downtime | dump | final delta | images | restore | health | before freeze | state shipped to restore | commit | frozen to healthy |");
        Console.WriteLine("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
        foreach (var size in options.SizesMib)
        {
            var e = engine.Where(s => s.SizeMib == size).ToList();
            Console.WriteLine($"| {size} MiB | {S(M(e.Select(s => s.Downtime)))} | {S(M(e.Select(s => s.Dump)))} | {S(M(e.Select(s => s.FinalDelta)))} | " +
                $"{S(M(e.Select(s => s.ImageTransfer)))} | {S(M(e.Select(s => s.Restore)))} | {S(M(e.Select(s => s.Health)))} | " +
                $"{S(M(e.Select(s => s.BeforeFreeze)))} | {S(M(e.Select(s => s.ShippedToRestore)))} | {S(M(e.Select(s => s.Commit)))} | " +
                $"{S(M(e.Select(s => s.FrozenToHealthy)))} |");
        }

        Console.WriteLine();
        Console.WriteLine("| dataset | engine downtime | raw sum (sequential) | engine / raw sum | target | raw critical path (parallel) | engine / critical path |");
        Console.WriteLine("| --- | --- | --- | --- | --- | --- | --- |");
        var downtimes = new Dictionary<int, double>();
        foreach (var size in options.SizesMib)
        {
            var downtime = M(engine.Where(s => s.SizeMib == size).Select(s => s.Downtime));
            var sum = M(raw.Where(s => s.SizeMib == size).Select(s => s.Sum));
            var critical = M(raw.Where(s => s.SizeMib == size).Select(s => s.CriticalPath));
            downtimes[size] = downtime;
            Console.WriteLine($"| {size} MiB | {S(downtime)} | {S(sum)} | {downtime / sum:0.00} | <= 1.2: {(downtime / sum <= 1.2 ? "met" : "MISSED")} | " +
                $"{S(critical)} | {downtime / critical:0.00} |");
        }

        if (options.SizesMib.Count >= 2)
        {
            var small = options.SizesMib.Min();
            var large = options.SizesMib.Max();
            var rawSmall = M(raw.Where(s => s.SizeMib == small).Select(s => s.Sum));
            var rawLarge = M(raw.Where(s => s.SizeMib == large).Select(s => s.Sum));
            var difference = Math.Abs(downtimes[large] - downtimes[small]) / downtimes[small];
            Console.WriteLine();
            Console.WriteLine($"engine downtime {large} MiB against {small} MiB: {S(downtimes[large])} s against {S(downtimes[small])} s, " +
                $"{difference * 100:0.0} % apart (target < 20 %: {(difference < 0.2 ? "met" : "MISSED")}); raw sum {S(rawLarge)} s against {S(rawSmall)} s, " +
                $"{Math.Abs(rawLarge - rawSmall) / rawSmall * 100:0.0} % apart");

            // The sizes of one run follow one another, so a run's pair shares the machine's load of the moment.
            double Paired<T>(List<T> samples, Func<T, int> size, Func<T, int> run, Func<T, double> value) =>
                M(samples.Where(s => size(s) == large).Join(
                    samples.Where(s => size(s) == small), run, run, (l, s) => value(l) / value(s)));
            Console.WriteLine($"paired by run, median of {large} MiB / {small} MiB: engine downtime {Paired(engine, s => s.SizeMib, s => s.Run, s => s.Downtime):0.00}, " +
                $"engine frozen to healthy {Paired(engine, s => s.SizeMib, s => s.Run, s => s.FrozenToHealthy):0.00}, " +
                $"raw sum {Paired(raw, s => s.SizeMib, s => s.Run, s => s.Sum):0.00}");
        }
    }

    private static async Task<string> MachineAsync()
    {
        var model = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "?";
        var kernel = (await Processes.RunAsync("uname", ["-r"])).Trim();
        return $"{Environment.ProcessorCount} x {model}, kernel {kernel}, load average {LoadAverage()}";
    }

    /// <summary>The one-minute load average, to tell a quiet run from a busy one.</summary>
    public static string LoadAverage() => File.ReadAllText("/proc/loadavg").Split(' ')[0];
}

/// <summary>The benchmark's arguments.</summary>
internal sealed record DowntimeOptions(
    string SshConfig, string LabEnv, string Source, string Target, string Pool, IReadOnlyList<int> SizesMib, int DeltaMib, int Runs, bool Trace,
    bool ClientsOnly)
{
    public static DowntimeOptions Parse(string[] args)
    {
        var values = new Dictionary<string, string>
        {
            ["ssh-config"] = "/var/lib/migrationtools-lab/ssh_config", ["lab-env"] = "", ["source"] = "h1", ["target"] = "h2", ["pool"] = "tank",
            ["sizes-mib"] = "256,2048", ["delta-mib"] = "8", ["runs"] = "3",
        };
        var (trace, clientsOnly) = (false, false);
        for (var i = 0; i < args.Length; i++)
        {
            var name = args[i].TrimStart('-');
            if (name == "trace")
            {
                trace = true;
            }
            else if (name == "clients-only")
            {
                clientsOnly = true;
            }
            else if (values.ContainsKey(name) && i + 1 < args.Length)
            {
                values[name] = args[++i];
            }
            else
            {
                throw new ArgumentException($"Unknown option {args[i]}; known: {string.Join(", ", values.Keys.Select(k => "--" + k))}, --trace, --clients-only.");
            }
        }

        static int Number(string text) => int.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture);
        // lab.sh writes lab.env beside the ssh_config, in the lab's state directory.
        var labEnv = values["lab-env"].Length > 0 ? values["lab-env"] : Path.Combine(Path.GetDirectoryName(Path.GetFullPath(values["ssh-config"]))!, "lab.env");
        var runs = Number(values["runs"]);
        if (runs < 1)
        {
            throw new ArgumentException("--runs must be at least 1.");
        }

        return new DowntimeOptions(
            values["ssh-config"], labEnv, values["source"], values["target"], values["pool"],
            values["sizes-mib"].Split(',').Select(Number).ToArray(), Number(values["delta-mib"]), runs, trace, clientsOnly);
    }
}

/// <summary>One engine switch: the record's downtime and parts, and what the progress reports' times add.</summary>
/// <remarks>
/// From the progress reports: before freeze (the switch's own status checks, from the downtime clock's start to the
/// checkpoint), state shipped to restore (from the end of the transfers, the source ended and the destination's copy made
/// writable meanwhile, to the restore's start: what the transfers' own parts leave out), commit (fencing the source, removing the images, after the health check), and frozen to healthy
/// (from the checkpoint's start to the health check's success: what a client sees).
/// </remarks>
internal sealed record EngineSample(
    int SizeMib, int Run, double Downtime, double Dump, double FinalDelta, double ImageTransfer, double Restore, double Health,
    double BeforeFreeze, double ShippedToRestore, double Commit, double FrozenToHealthy, double Call, long DeltaBytes, long ImageBytes, string Load)
{
    public IReadOnlyList<string> Timeline { get; init; } = [];

    public override string ToString() =>
        $"engine {SizeMib} MiB run {Run}: downtime {Downtime:0.000} s (dump {Dump:0.000}, final delta {FinalDelta:0.000}, images {ImageTransfer:0.000}, " +
        $"restore {Restore:0.000}, health {Health:0.000}; before freeze {BeforeFreeze:0.000}, shipped to restore {ShippedToRestore:0.000}, " +
        $"commit {Commit:0.000}); frozen to healthy {FrozenToHealthy:0.000} s; whole call {Call:0.000} s; delta {DeltaBytes:N0} B, " +
        $"images and delta {ImageBytes:N0} B; load {Load}";
}

/// <summary>One raw switch, step by step, each step timed on its own.</summary>
internal sealed record RawSample(
    int SizeMib, int Run, double Dump, double Delta, double Images, double Kill, double Remount, double Restore, double FirstAnswer,
    long DeltaBytes, long ImageBytes, string Load)
{
    /// <summary>The steps one after another.</summary>
    public double Sum => Dump + Delta + Images + Kill + Remount + Restore;

    /// <summary>The steps with the delta and the images overlapped, as the engine overlaps them (computed, not measured).</summary>
    public double CriticalPath => Dump + Math.Max(Delta, Images) + Kill + Remount + Restore;

    public override string ToString() =>
        $"raw    {SizeMib} MiB run {Run}: dump {Dump:0.000} + delta {Delta:0.000} + images {Images:0.000} + kill {Kill:0.000} + remount {Remount:0.000} " +
        $"+ restore {Restore:0.000} = {Sum:0.000} s (critical path {CriticalPath:0.000} s); first answer {FirstAnswer:0.000} s after the restore; " +
        $"delta {DeltaBytes:N0} B, images {ImageBytes:N0} B; load {Load}";
}

/// <summary>Collects progress reports with their wall-clock times, as they come, from whatever thread.</summary>
internal sealed class TimedProgress : IProgress<MigrationProgress>
{
    private readonly List<(double At, string Activity)> _items = [];

    public IReadOnlyList<(double At, string Activity)> Items
    {
        get
        {
            lock (_items)
            {
                return [.. _items];
            }
        }
    }

    /// <summary>Seconds since the epoch, as precise as the system clock (bash's EPOCHREALTIME reads the same clock).</summary>
    public static double Now() => (DateTime.UtcNow - DateTime.UnixEpoch).TotalSeconds;

    /// <summary>The time of the first report whose activity starts with <paramref name="prefix"/>.</summary>
    public double At(string prefix) =>
        Items.FirstOrDefault(i => i.Activity.StartsWith(prefix, StringComparison.Ordinal)) is { Activity: not null } found
            ? found.At
            : throw new InvalidOperationException($"No progress report starting with \"{prefix}\"; reports: {string.Join("; ", Items.Select(i => i.Activity))}");

    public void Report(MigrationProgress value)
    {
        var activity = value.Transfer is null ? value.Activity : value.Activity + " [bytes flowing]";
        lock (_items)
        {
            if (!_items.Any(i => i.Activity == activity))
            {
                _items.Add((Now(), activity));
            }
        }
    }
}
