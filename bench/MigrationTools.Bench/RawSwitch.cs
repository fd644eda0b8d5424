using System.Diagnostics;
using System.Globalization;
using MigrationTools.Engine.Workloads;

namespace MigrationTools.Bench;

/// <summary>
/// The switch done by hand on the same kind of workload and delta: each raw step timed on its own, over ssh
/// connections already open (so a step costs its work and one round trip, never a handshake).
/// </summary>
/// <remarks>
/// The steps: <c>criu dump --leave-stopped</c> with the engine's options, its output log archived beside the images
/// (CRIU reopens it by path on the target); a snapshot and <c>zfs send -i | zfs receive -F</c> of the delta; the images
/// as a tar stream through the controller (the engine's relay); SIGKILL to the frozen tree and waiting until it is gone
/// (as the engine's switch does with <c>ReleaseSourceBeforeRestore</c>, which the benchmark sets); a remount of the copy
/// (zfs-fuse serves stale reads after a receive); the output log put back and <c>criu restore -d</c>.
/// </remarks>
internal static class RawSwitch
{
    public static async Task<RawSample> RunAsync(BenchLab lab, int sizeMib, int run)
    {
        var (source, target) = (lab.Options.Source, lab.Options.Target);
        var workload = new BenchWorkload(lab, sizeMib);
        var dataset = workload.Dataset;
        var images = "/run/mt-dt-raw-" + workload.Name.Value;
        try
        {
            var token = await workload.CreateAndStartAsync();
            WorkloadProcess process;
            using (var connection = lab.Connect(source))
            {
                process = (await new WorkloadRuntime(connection, workload.Paths).GetStatusAsync(workload.Name)).Process!;
            }

            // The copy in step as the engine's begin and one sync leave it: a full stream, then an incremental one.
            var (from, to) = (lab.SshLine(source), lab.SshLine(target));
            await BenchLab.ShellAsync($"{from} 'zfs snapshot {dataset}@raw-1 && zfs send {dataset}@raw-1' | {to} 'zfs receive {dataset}'");
            await BenchLab.ShellAsync($"{from} 'zfs snapshot {dataset}@raw-2 && zfs send -i {dataset}@raw-1 {dataset}@raw-2' | {to} 'zfs receive -F {dataset}'");
            await lab.SshAsync(source, "true");
            await lab.SshAsync(target, "true");
            await workload.WriteDeltaAsync(lab.Options.DeltaMib);

            var load = DowntimeBenchmark.LoadAverage();
            var imageSize = "";
            var dump = await Processes.TimeAsync(async () => imageSize = await lab.SshAsync(source,
                $"mkdir -p {images} && criu dump -t {process.Pid} -D {images} -o dump.log -v4 --leave-stopped && " +
                $"tar -cPf {images}/carried-files.tar {workload.Paths.OutputLog(workload.Name)} && du -sb {images}"));
            var delta = await Processes.TimeAsync(() => BenchLab.ShellAsync(
                $"{from} 'zfs snapshot {dataset}@raw-3 && zfs send -i {dataset}@raw-2 {dataset}@raw-3' | {to} 'zfs receive -F {dataset}'"));
            var copy = await Processes.TimeAsync(() => BenchLab.ShellAsync(
                $"{from} 'tar -C {images} -cf - .' | {to} 'mkdir -p {images} && tar -C {images} -xf -'"));
            var kill = await Processes.TimeAsync(() => lab.SshAsync(source,
                $"kill -KILL {process.Pid} && while [ -e /proc/{process.Pid} ]; do sleep 0.01; done"));
            var remount = await Processes.TimeAsync(() => lab.SshAsync(target, $"zfs umount {dataset} && zfs mount {dataset}"));
            var clock = Stopwatch.StartNew();
            await lab.SshAsync(target,
                $"tar -xpPf {images}/carried-files.tar && criu restore -d -D {images} -o restore.log -v4 --pidfile {images}/restore.pid");
            var restore = clock.Elapsed.TotalSeconds;
            var answer = await workload.WaitForServiceAsync(target, TimeSpan.FromSeconds(10));
            if (answer.Token != token)
            {
                throw new InvalidOperationException($"The service on {target} serves token {answer.Token}, not {token}.");
            }

            var deltaBytes = long.Parse(
                (await lab.SshAsync(source, $"zfs send -i {dataset}@raw-2 {dataset}@raw-3 | wc -c")).Trim(), CultureInfo.InvariantCulture);
            var imageBytes = long.Parse(imageSize.Trim().Split('\t', ' ')[0], CultureInfo.InvariantCulture);
            return new RawSample(sizeMib, run, dump, delta, copy, kill, remount, restore, answer.Seconds, deltaBytes, imageBytes, load);
        }
        finally
        {
            await workload.CleanUpAsync(images);
        }
    }
}
