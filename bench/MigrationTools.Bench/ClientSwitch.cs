using System.Diagnostics;
using MigrationTools.Engine.Criu;
using MigrationTools.Engine.Migrations;

namespace MigrationTools.Bench;

/// <summary>
/// One engine switch as a client sees it: a fresh counter service bound to a service address of its own (declared, so it
/// moves with the service) and serving a line port, migrated the normal way (established TCP connections checkpointed,
/// the source kept frozen until the destination is healthy) while the probe in the lab's client namespace talks to the
/// address every 10 ms over one established connection and over fresh ones.
/// </summary>
internal static class ClientSwitch
{
    /// <summary>How long the probe runs before the switch and after it returns, so that both edges of its gap are seen.</summary>
    private static readonly TimeSpan Margin = TimeSpan.FromMilliseconds(500);

    public static async Task<ClientSample> RunAsync(BenchLab lab, int sizeMib, int run)
    {
        var options = lab.Options;
        var workload = new BenchWorkload(lab, sizeMib, await lab.Network.NextFreeAsync(lab));
        var journal = Path.Combine(Path.GetTempPath(), "mt-dt-journal-" + Guid.NewGuid().ToString("N")[..10]);
        BenchProbe? probe = null;
        try
        {
            var settings = new MigrationSettings { Checkpoint = new CriuOptions { TcpEstablished = true }, StopTimeoutSeconds = 2 };
            var (engine, synced, token) = await EngineSwitch.PrepareAsync(lab, workload, journal, settings);
            probe = await BenchProbe.StartAsync(lab, workload);
            await Task.Delay(Margin);

            var load = DowntimeBenchmark.LoadAverage();
            var progress = new TimedProgress();
            var (called, calledEpoch) = (probe.Clock.Elapsed.TotalMilliseconds, TimedProgress.Now());
            var clock = Stopwatch.StartNew();
            var switched = await engine.SwitchAsync(synced.Id, progress);
            var call = clock.Elapsed.TotalSeconds;
            await Task.Delay(Margin);
            var seen = await probe.StopAsync();

            if (switched.State != MigrationState.Switched || switched.Downtime is null)
            {
                throw new InvalidOperationException($"The switch ended {switched.State}: {switched.LastError}");
            }

            // Asked from the source: the address answers from the destination now, with the same service.
            var moved = await workload.WaitForServiceAsync(options.Target, TimeSpan.FromSeconds(10));
            if (moved.Token != token)
            {
                throw new InvalidOperationException($"The service at {workload.BindAddress} serves token {moved.Token}, not {token}: it was restarted, not restored.");
            }

            var parts = switched.DowntimeParts;
            string Part(TimeSpan? span) => span is null ? "?" : $"{span.Value.TotalSeconds:0.000}";
            var partsText = parts is null ? "no parts recorded" :
                $"dump {Part(parts.Dump)}, final delta {Part(parts.FinalDelta)}, images {Part(parts.ImageTransfer)}, restore {Part(parts.Restore)}, health {Part(parts.Health)}";
            // The switch's steps (when each was reported begun) on the probe's clock, to line up with where its gaps and errors fall.
            var calledOnProbe = called - seen.StartedAtMs;
            string On(string prefix) =>
                progress.Items.FirstOrDefault(i => i.Activity.StartsWith(prefix, StringComparison.Ordinal)) is { Activity: not null } found
                    ? $"{calledOnProbe + (found.At - calledEpoch) * 1000:0}" : "?";
            var steps = $"called {calledOnProbe:0}, freeze {On("Checkpointing")}, adding the address on {options.Target} {On("Adding")}, restore {On("Restoring")}, " +
                $"health check {On("Waiting for")}, returned {calledOnProbe + call * 1000:0}";
            return new ClientSample(sizeMib, run, switched.Downtime.Value.TotalSeconds, partsText, call, steps, seen, workload.BindAddress, load);
        }
        finally
        {
            if (probe is not null)
            {
                await probe.DisposeAsync();
            }

            await workload.CleanUpAsync();
            if (Directory.Exists(journal))
            {
                Directory.Delete(journal, recursive: true);
            }
        }
    }
}

/// <summary>One client switch: the engine's downtime beside the longest gaps the probe saw.</summary>
internal sealed record ClientSample(int SizeMib, int Run, double Downtime, string DowntimeParts, double Call, string Steps, ProbeOutcome Seen, string Address, string Load)
{
    /// <summary>The target: a client's longest gap at most this many times the engine's downtime.</summary>
    public const double Target = 1.2;

    public double EstablishedGap => Seen.EstablishedGapMs / 1000;

    public double FreshGap => Seen.FreshGapMs / 1000;

    public double EstablishedRatio => EstablishedGap / Downtime;

    public double FreshRatio => FreshGap / Downtime;

    public static string Verdict(double ratio) => ratio <= Target ? "met" : "MISSED";

    public override string ToString() =>
        $"client {SizeMib} MiB run {Run}: downtime {Downtime:0.000} s ({DowntimeParts}); established gap {EstablishedGap:0.000} s ({EstablishedRatio:0.000} x, {Verdict(EstablishedRatio)}), " +
        $"fresh gap {FreshGap:0.000} s ({FreshRatio:0.000} x, {Verdict(FreshRatio)}); connection {(Seen.Survived ? "survived" : "LOST")} " +
        $"(reconnects {Seen.Reconnects}, token {(Seen.TokenStable ? "stable" : "CHANGED")}, counter {(Seen.CounterMonotonic ? "monotonic" : "WENT BACK")}, " +
        $"answered by {string.Join(">", Seen.EstablishedHosts)}{(Seen.EstablishedBreak.Length > 0 ? "; " + Seen.EstablishedBreak : "")}); fresh errors {Errors()}; whole call {Call:0.000} s; on the probe's clock, ms: {Steps}; {Address}; load {Load}";

    private string Errors() =>
        Seen.FreshErrors.Count == 0 ? "none" : string.Join(",", Seen.FreshErrors.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => $"{e.Key}={e.Value}"));
}
