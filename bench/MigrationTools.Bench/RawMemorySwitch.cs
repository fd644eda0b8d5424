using System.Diagnostics;
using System.Globalization;

namespace MigrationTools.Bench;

/// <summary>
/// The stop-and-copy of a workload's memory done by hand: <c>criu dump</c> (the engine's options) into a directory on the
/// source's tmpfs, the images as a tar stream through the controller (<c>ssh h1 tar | ssh h2 tar</c>, as the engine relays),
/// and <c>criu restore -d</c>; timed from the dump's start to the restore's return, over ssh connections already open.
/// </summary>
/// <remarks>
/// The dataset (only the workload's script and state files) is copied before the freeze and not timed: what is measured
/// is the memory's way. The source stays frozen (<c>--leave-stopped</c>) until the restore returned, then is killed.
/// </remarks>
internal static class RawMemorySwitch
{
    public static async Task<MemorySample> RunAsync(BenchLab lab, int sizeMib, double writeMibPerSecond, int run)
    {
        var (source, target) = (lab.Options.Source, lab.Options.Target);
        var workload = new MemoryWorkload(lab, sizeMib, writeMibPerSecond);
        var dataset = workload.Dataset;
        var images = "/run/mt-mem-raw-" + workload.Name.Value;
        try
        {
            await workload.CreateAndStartAsync();
            var process = await workload.SourceProcessAsync();
            var before = writeMibPerSecond > 0 ? "" : await workload.ChecksumAsync(source);
            var (from, to) = (lab.SshLine(source), lab.SshLine(target));
            await BenchLab.ShellAsync($"{from} 'zfs snapshot {dataset}@raw-1 && zfs send {dataset}@raw-1' | {to} 'zfs receive {dataset}'");
            await lab.SshAsync(source, "true");
            await lab.SshAsync(target, "true");

            var load = DowntimeBenchmark.LoadAverage();
            var imageSize = "";
            var clock = Stopwatch.StartNew();
            var dump = await Processes.TimeAsync(async () => imageSize = await lab.SshAsync(source,
                $"mkdir -p {images} && criu dump -t {process.Pid} -D {images} -o dump.log -v4 --leave-stopped && " +
                $"tar -cPf {images}/carried-files.tar {workload.Paths.OutputLog(workload.Name)} && du -sb {images}"));
            var copy = await Processes.TimeAsync(() => BenchLab.ShellAsync(
                $"{from} 'tar -C {images} -cf - .' | {to} 'mkdir -p {images} && tar -C {images} -xf -'"));
            var restore = await Processes.TimeAsync(() => lab.SshAsync(target,
                $"tar -xpPf {images}/carried-files.tar && criu restore -d -D {images} -o restore.log -v4 --pidfile {images}/restore.pid"));
            var frozenToRunning = clock.Elapsed.TotalSeconds;
            await lab.SshAsync(source, $"kill -KILL {process.Pid} && while [ -e /proc/{process.Pid} ]; do sleep 0.01; done");

            var after = await workload.ChecksumAsync(target);
            var imageBytes = long.Parse(imageSize.Trim().Split('\t', ' ')[0], CultureInfo.InvariantCulture);
            return new MemorySample(
                sizeMib, writeMibPerSecond, MemoryMethod.Raw, run, frozenToRunning, UntilEveryPage: frozenToRunning, Recorded: "by hand",
                $"dump {dump:0.000} + images {copy:0.000} + restore {restore:0.000}; images {imageBytes:N0} B", before, after, load);
        }
        finally
        {
            await workload.CleanUpAsync(images);
        }
    }
}
