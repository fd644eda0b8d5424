using MigrationTools.Engine.Criu;
using MigrationTools.Engine.Journal;
using MigrationTools.Engine.Migrations;
using MigrationTools.Engine.Phases;
using MigrationTools.Engine.Transfer;

namespace MigrationTools.Bench;

/// <summary>
/// One engine migration of a fresh memhold workload: begin and one sync while it runs (its dataset holds only its script
/// and state files), then the live switch on the direct path between the hosts with the memory transfer asked for; the
/// record's downtime and parts.
/// </summary>
internal static class EngineMemorySwitch
{
    private static readonly TimeSpan SwitchTimeLimit = TimeSpan.FromMinutes(5);

    public static async Task<MemorySample> RunAsync(BenchLab lab, int sizeMib, double writeMibPerSecond, MemoryMethod method, int run)
    {
        var (source, target) = (lab.Options.Source, lab.Options.Target);
        var workload = new MemoryWorkload(lab, sizeMib, writeMibPerSecond);
        var journal = Path.Combine(Path.GetTempPath(), "mt-mem-journal-" + Guid.NewGuid().ToString("N")[..10]);
        try
        {
            await workload.CreateAndStartAsync();
            var engine = new MigrationEngine(new MigrationJournal(journal), lab.EngineSshOptions(), workload.Paths);
            // Post-copy and the page server send pages straight between the hosts, which the engine allows only on the direct path.
            var settings = new MigrationSettings
            {
                Path = TransferPath.Direct,
                MemoryTransfer = method == MemoryMethod.PostCopy ? MemoryTransfer.PostCopy : MemoryTransfer.StopAndCopy,
                StopTimeoutSeconds = 2,
            };
            var begun = await engine.BeginAsync(new MigrationRequest(workload.Name, source, target) { Settings = settings });
            var synced = await engine.SyncAsync(begun.Id);
            var before = writeMibPerSecond > 0 ? "" : await workload.ChecksumAsync(source);

            var load = DowntimeBenchmark.LoadAverage();
            // A post-copy that stalls must not stall the benchmark; a cancelled switch rolls back and counts as failed.
            using var limit = new CancellationTokenSource(SwitchTimeLimit);
            var switched = await engine.SwitchAsync(synced.Id, cancellationToken: limit.Token);
            if (switched.State != MigrationState.Switched || switched.Downtime is null || switched.DowntimeParts is null)
            {
                throw new InvalidOperationException($"The switch ended {switched.State}: {switched.LastError}");
            }

            var after = await workload.ChecksumAsync(target);
            var parts = switched.DowntimeParts;
            var downtime = switched.Downtime.Value.TotalSeconds;
            var health = parts.Health?.TotalSeconds ?? 0;
            var postCopy = parts.PostCopy?.TotalSeconds ?? 0;
            static string Part(TimeSpan? span) => span is null ? "-" : $"{span.Value.TotalSeconds:0.000}";
            var text = $"dump {Part(parts.Dump)}, final delta {Part(parts.FinalDelta)}, images {Part(parts.ImageTransfer)}, restore {Part(parts.Restore)}, " +
                $"health {Part(parts.Health)}, post-copy {Part(parts.PostCopy)}; images and delta {switched.BytesTransferred - synced.BytesTransferred:N0} B";
            return new MemorySample(
                sizeMib, writeMibPerSecond, method, run, downtime, downtime - health + postCopy,
                parts.MemoryTransfer?.ToString() ?? "no method recorded", text, before, after, load);
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
}
