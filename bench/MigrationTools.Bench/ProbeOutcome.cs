using System.Text.Json;

namespace MigrationTools.Bench;

/// <summary>
/// What the probe's summary says of one switch: the longest gap between two replies on each channel, whether the
/// established connection stayed the same one (never broken nor replaced), whether every reply had the same token and
/// the counter never went back, the hosts that answered the established connection in turn, and the fresh requests'
/// errors by kind; how the established connection broke, if it did (when, after the probe's start, and its first error),
/// beside when its longest gap ended.
/// </summary>
internal sealed record ProbeOutcome(
    double EstablishedGapMs, double FreshGapMs, bool ConnectionKept, int Reconnects, bool TokenStable, bool CounterMonotonic,
    IReadOnlyList<string> EstablishedHosts, IReadOnlyDictionary<string, int> FreshErrors, string EstablishedBreak, double DurationMs)
{
    /// <summary>When the probe's clock started, on <see cref="BenchProbe.Clock"/> (to within about 10 ms).</summary>
    public double StartedAtMs { get; init; }

    /// <summary>The established connection survived: kept, same token throughout, the counter never went back.</summary>
    public bool Survived => ConnectionKept && Reconnects == 0 && TokenStable && CounterMonotonic;

    public static ProbeOutcome Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        var established = root.GetProperty("established");
        var fresh = root.GetProperty("fresh");
        return new ProbeOutcome(
            Gap(established),
            Gap(fresh),
            root.GetProperty("connection_kept").GetBoolean(),
            established.GetProperty("reconnects").GetInt32(),
            root.GetProperty("token_stable").GetBoolean(),
            root.GetProperty("counter_monotonic").GetBoolean(),
            [.. established.GetProperty("hostnames").EnumerateArray().Select(h => h.GetString() ?? "?")],
            fresh.GetProperty("errors_by_kind").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt32(), StringComparer.Ordinal),
            Break(established),
            root.GetProperty("duration_ms").GetDouble());
    }

    /// <summary>
    /// The longest gap between two replies, or the time since the last reply when longer: a channel that had not recovered
    /// by the probe's stop saw at least that.
    /// </summary>
    private static double Gap(JsonElement channel) =>
        Math.Max(
            channel.GetProperty("longest_gap_ms").GetDouble(),
            channel.GetProperty("since_last_reply_ms") is { ValueKind: JsonValueKind.Number } since ? since.GetDouble() : double.PositiveInfinity);

    private static string Break(JsonElement established)
    {
        if (established.GetProperty("broken_at_ms").ValueKind == JsonValueKind.Null)
        {
            return "";
        }

        var first = established.GetProperty("first_errors").EnumerateArray().Select(e => $"{e.GetProperty("kind").GetString()}: {e.GetProperty("detail").GetString()}").FirstOrDefault() ?? "?";
        return $"broke at {established.GetProperty("broken_at_ms").GetRawText()} ms ({first}); longest gap ended at {established.GetProperty("longest_gap_ended_ms").GetRawText()} ms";
    }
}
