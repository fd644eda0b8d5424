using System.Diagnostics;
using System.Globalization;
using MigrationTools.Engine.Criu;
using MigrationTools.Engine.Remote;
using MigrationTools.Engine.Transfer;
using MigrationTools.Engine.Workloads;
using MigrationTools.Engine.Zfs;

namespace MigrationTools.Bench;

/// <summary>
/// A measurement of the proposed switch, not a replacement for the engine's: after the engine's own begin and sync, the
/// same cut-over steps with the engine's building blocks (status, CRIU dump and restore, the relay, the image shipment,
/// the health probe), arranged as proposed for the engine.
/// </summary>
/// <remarks>
/// <para>Before the freeze (the workload still runs): both connections open, both hosts' zfs capabilities known, the
/// common snapshot taken from the record instead of listing both hosts.</para>
/// <para>Frozen: status, dump; then at once the delta (snapshot and send in one command, received with -F), the images and
/// the manifest on the destination (with --transfers sequential, the delta first, then the images and the manifest); then at once SIGKILL to the frozen tree (polled every 10 ms), the source snapshot's
/// GUID, and on the destination readonly=off, one remount and the received snapshot's GUID; the GUIDs compared; restore,
/// adopt, health. The downtime ends when the health check passes.</para>
/// <para>After it (the workload serves): the source made read-only and the images removed. Holds are not moved (the
/// benchmark does not continue the migration); in the engine they would move here too.</para>
/// </remarks>
internal static class LeanSwitch
{
    /// <summary>$1 the new snapshot, then the send command: one round trip for both.</summary>
    private const string SnapshotThenSend = "zfs snapshot \"$1\" && shift && exec \"$@\"";

    /// <summary>$1 PID, $2 start time, $3 PID file. SIGKILL to the tree's init, then waits until it is gone, polling every 10 ms.</summary>
    private const string KillScript = """
        p=$1; t=$2; f=$3
        alive() { l=; { read -r l < "/proc/$p/stat"; } 2>/dev/null || return 1; set -f; set -- ${l##*) }; set +f; [ "$1" != Z ] && [ "${20}" = "$t" ]; }
        if alive; then
            kill -s KILL "$p"
            i=0
            while alive; do
                [ $i -lt 1000 ] || { echo "process $p still runs 10 s after SIGKILL" >&2; exit 1; }
                sleep 0.01; i=$((i + 1))
            done
        fi
        rm -f -- "$f"
        """;

    /// <summary>$1 the copy, $2 its new snapshot. Makes the copy writable, remounts it once (zfs-fuse), prints the snapshot's GUID.</summary>
    private const string FenceScript = """zfs set readonly=off "$1" && zfs umount "$1" && zfs mount "$1" && exec zfs get -H -p -o value guid "$2" """;

    private const string GuidScript = """exec zfs get -H -p -o value guid "$1" """;

    public static async Task<LeanSample> RunAsync(BenchLab lab, int sizeMib, int run)
    {
        var (source, target) = (lab.Options.Source, lab.Options.Target);
        using var workload = new BenchWorkload(lab, sizeMib);
        var journal = Path.Combine(Path.GetTempPath(), "mt-dt-journal-" + Guid.NewGuid().ToString("N")[..10]);
        try
        {
            var (_, synced, token) = await EngineSwitch.PrepareAsync(lab, workload, journal);

            // Ahead of the freeze.
            using var h1 = lab.Connect(source);
            using var h2 = lab.Connect(target);
            await Task.WhenAll(h1.OpenAsync(), h2.OpenAsync());
            var (zfs1, zfs2) = (new ZfsHost(h1), new ZfsHost(h2));
            var plan = await zfs1.PlanTransferToAsync(zfs2);
            var copy = synced.Datasets[0];
            var common = SnapshotName.Parse(copy.CommonSnapshot!);
            var next = copy.Source.Snapshot("mt-lean-1");
            var received = copy.Target.Snapshot(next.ShortName);
            var images = CriuImageDirectory.ForWorkload(workload.Name);
            var (runtime1, runtime2) = (new WorkloadRuntime(h1, workload.Paths), new WorkloadRuntime(h2, workload.Paths));
            var (criu1, criu2) = (new CriuHost(h1), new CriuHost(h2));
            var send = RemoteCommand.Create(
                new[] { "sh", "-c", SnapshotThenSend, "sh", next.Value }.Concat(ZfsSendCommand.Create(ZfsSendRequest.Incremental(common, next, false), plan).Stages[0]));
            var receive = ZfsReceiveCommand.Create(copy.Target, plan, ZfsReceiveMode.OwnedCopy);
            var load = DowntimeBenchmark.LoadAverage();

            var clock = Stopwatch.StartNew();
            var process = (await runtime1.GetStatusAsync(workload.Name)).Process
                ?? throw new InvalidOperationException($"{workload.Name} is not running on {source}.");
            await criu1.DumpAsync(new CriuDumpRequest(process, images) { CarriedFiles = [workload.Paths.OutputLog(workload.Name)] });
            var dumped = clock.Elapsed.TotalSeconds;

            var delta = TimedAsync(() => RelayTransfer.RunAsync(h1, send, h2, receive, new ProgressMeter(null)));
            if (!lab.Options.ParallelTransfers)
            {
                await delta;
            }

            var shipped = TimedAsync(() => CriuImageShipment.RelayAsync(h1, images, h2, images, new ProgressMeter(null)));
            var declared = new WorkloadCatalog(h2, workload.Paths).RegisterAsync(workload.Manifest);
            await Task.WhenAll(delta, shipped, declared);
            var transferred = clock.Elapsed.TotalSeconds;

            var killed = h1.RunAsync(RemoteCommand.Create(
                "sh", "-c", KillScript, "sh", process.Pid.ToString(CultureInfo.InvariantCulture), process.StartTime.ToString(CultureInfo.InvariantCulture),
                workload.Paths.PidFile(workload.Name)));
            var sourceGuid = h1.RunAsync(RemoteCommand.Create("sh", "-c", GuidScript, "sh", next.Value));
            var fenced = h2.RunAsync(RemoteCommand.Create("sh", "-c", FenceScript, "sh", copy.Target.Value, received.Value));
            await Task.WhenAll(killed, sourceGuid, fenced);
            if ((await sourceGuid).Text.Trim() != (await fenced).Text.Trim())
            {
                throw new InvalidOperationException($"{received} has GUID {(await fenced).Text.Trim()}, not the source's {(await sourceGuid).Text.Trim()}.");
            }

            var ready = clock.Elapsed.TotalSeconds;
            var restored = await criu2.RestoreAsync(new CriuRestoreRequest(images));
            await runtime2.AdoptAsync(workload.Name, restored.Process);
            var running = clock.Elapsed.TotalSeconds;
            var health = await HealthProbe.WaitAsync(h2, workload.Manifest.HealthCheck!);
            if (!health.Healthy)
            {
                throw new InvalidOperationException($"{workload.Name} did not become healthy on {target}: {health.Detail}");
            }

            var downtime = clock.Elapsed.TotalSeconds;
            await Task.WhenAll(zfs1.SetReadOnlyAsync(copy.Source, true), criu2.RemoveImagesAsync(images), criu1.RemoveImagesAsync(images));
            var after = clock.Elapsed.TotalSeconds - downtime;

            var moved = await workload.WaitForServiceAsync(target, TimeSpan.FromSeconds(10));
            if (moved.Token != token)
            {
                throw new InvalidOperationException($"The service on {target} serves token {moved.Token}, not {token}.");
            }

            return new LeanSample(
                sizeMib, run, downtime, dumped, transferred - dumped, (await delta).Seconds, (await shipped).Seconds, ready - transferred,
                running - ready, downtime - running, after, load);
        }
        finally
        {
            await workload.CleanUpAsync();
            if (Directory.Exists(journal))
            {
                Directory.Delete(journal, recursive: true);
            }
        }
    }

    private static async Task<(T Result, double Seconds)> TimedAsync<T>(Func<Task<T>> action)
    {
        var clock = Stopwatch.StartNew();
        var result = await action();
        return (result, clock.Elapsed.TotalSeconds);
    }
}

/// <summary>One prototype switch: its downtime (freeze to healthy) and steps.</summary>
internal sealed record LeanSample(
    int SizeMib, int Run, double Downtime, double Dump, double Transfers, double Delta, double Images, double KillFence, double Restore,
    double Health, double After, string Load)
{
    public override string ToString() =>
        $"proto  {SizeMib} MiB run {Run}: downtime {Downtime:0.000} s (status+dump {Dump:0.000}, delta|images|declare {Transfers:0.000} " +
        $"[delta {Delta:0.000}, images {Images:0.000}], kill|fence|guids {KillFence:0.000}, restore+adopt {Restore:0.000}, health {Health:0.000}); " +
        $"after it: {After:0.000} s; load {Load}";
}
