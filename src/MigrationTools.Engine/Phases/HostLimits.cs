using System;
using MigrationTools.Engine.Transfer;

namespace MigrationTools.Engine.Phases;

/// <summary>
/// Limits per host that hold across everything the controller runs at once: every migration of every command and
/// process using the same journal directory. They are kept as flock'd slot files under
/// <c>&lt;journal&gt;/.host-slots/</c>, so two shells share the bound too.
/// </summary>
public sealed record HostLimits
{
    /// <summary>The default bound on migrations touching one host at once.</summary>
    public const int DefaultMaxMigrationsPerHost = 2;

    /// <summary>The greatest bound accepted.</summary>
    public const int MaxMaxMigrationsPerHost = 64;

    private readonly int _maxMigrationsPerHost = DefaultMaxMigrationsPerHost;
    private readonly long? _bandwidthPerHost;

    /// <summary>
    /// Whether two ssh destinations name the same host for the limits: the host name alone, in any case (a user or a port
    /// does not make another machine).
    /// </summary>
    /// <param name="first">A destination, such as <c>root@h1</c>.</param>
    /// <param name="second">Another, such as <c>h1:22</c>.</param>
    /// <returns>True when both name one host.</returns>
    public static bool SameHost(string first, string second) =>
        string.Equals(HostSlots.KeyOf(first), HostSlots.KeyOf(second), StringComparison.Ordinal);

    /// <summary>At most this many migrations act on one host at once (1 to 64).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is outside 1..64.</exception>
    public int MaxMigrationsPerHost
    {
        get => _maxMigrationsPerHost;
        init => _maxMigrationsPerHost = value is >= 1 and <= MaxMaxMigrationsPerHost
            ? value
            : throw new ArgumentOutOfRangeException(nameof(MaxMigrationsPerHost), value,
                $"At most 1 to {MaxMaxMigrationsPerHost} migrations may act on one host at once; give a number in that range.");
    }

    /// <summary>
    /// Bytes per second shared by the host's concurrent streams; <see langword="null"/> for no budget. Each stream gets
    /// the budget divided by the migrations holding a slot on the host when it starts (at least 1 KiB/s).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is below 1 KiB/s or above 100 GiB/s.</exception>
    public long? BandwidthPerHost
    {
        get => _bandwidthPerHost;
        init => _bandwidthPerHost = value is null ? null : BandwidthLimit.FromBytesPerSecond(value.Value).BytesPerSecond;
    }
}
