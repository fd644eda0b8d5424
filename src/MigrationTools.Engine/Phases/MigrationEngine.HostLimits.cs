using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using MigrationTools.Engine.Migrations;
using MigrationTools.Engine.Transfer;

namespace MigrationTools.Engine.Phases;

public sealed partial class MigrationEngine
{
    /// <summary>The slots this flow already holds, so that a phase run inside another never waits on its own slot.</summary>
    private static readonly AsyncLocal<HeldSlots?> Held = new();

    /// <summary>
    /// Limits per host that hold across every migration using this engine's journal directory; <see langword="null"/>
    /// for none (the default).
    /// </summary>
    public HostLimits? Limits { get; }

    private HostSlots? Slots { get; }

    /// <summary>
    /// Runs <paramref name="act"/> holding one slot on each host of <paramref name="record"/> (when limits are set),
    /// reporting the wait as progress; the slots are released however it ends.
    /// </summary>
    private async Task<T> WithHostSlotsAsync<T>(
        MigrationRecord record, MigrationPhase phase, IProgress<MigrationProgress>? progress, Func<Task<T>> act, CancellationToken cancellationToken)
    {
        if (Slots is null)
        {
            return await act().ConfigureAwait(false);
        }

        var hosts = new[] { record.Source, record.Destination };
        var outer = Held.Value;
        if (outer is not null && hosts.All(h => outer.Keys.Contains(HostSlots.KeyOf(h))))
        {
            return await act().ConfigureAwait(false);
        }

        var holder = string.Join(" ",
            "pid=" + System.Diagnostics.Process.GetCurrentProcess().Id.ToString(CultureInfo.InvariantCulture),
            "migration=" + record.Id,
            "workload=" + record.Workload,
            "phase=" + phase,
            "since=" + DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture));
        using var lease = await Slots.AcquireAsync(
            hosts, holder,
            key => progress?.Report(new MigrationProgress(record.Id, phase,
                $"Waiting for a slot on {key} (at most {Slots.Limits.MaxMigrationsPerHost} migration(s) act on a host at once)")),
            cancellationToken).ConfigureAwait(false);
        Held.Value = new HeldSlots((outer?.Keys ?? Array.Empty<string>()).Union(lease.HostKeys, StringComparer.Ordinal).ToArray(), lease.BandwidthShare ?? outer?.BandwidthShare);
        return await act().ConfigureAwait(false);
    }

    /// <summary>
    /// The settings a stream of this flow uses: the record's, with the bandwidth cut to the hosts' share of their budget
    /// when that is lower. Never saved: the share holds for the streams this phase starts.
    /// </summary>
    private static MigrationSettings StreamSettings(MigrationSettings settings)
    {
        if (Held.Value?.BandwidthShare is not { } share)
        {
            return settings;
        }

        return settings.BandwidthLimit is { } own && own.BytesPerSecond <= share
            ? settings
            : settings with { BandwidthLimit = BandwidthLimit.FromBytesPerSecond(share) };
    }

    private sealed record HeldSlots(IReadOnlyCollection<string> Keys, long? BandwidthShare);
}
