using System.Text.Json.Serialization;

namespace MigrationTools.Lab.Tests.Lab;

/// <summary>The JSON line tests/lab/workloads/probe.py prints when it stops (see its header for the meaning).</summary>
public sealed record ProbeSummary(
    [property: JsonPropertyName("duration_ms")] long DurationMilliseconds,
    [property: JsonPropertyName("established")] ProbeChannel Established,
    [property: JsonPropertyName("fresh")] ProbeChannel Fresh,
    [property: JsonPropertyName("token_stable")] bool TokenStable,
    [property: JsonPropertyName("counter_monotonic")] bool CounterMonotonic,
    [property: JsonPropertyName("connection_kept")] bool ConnectionKept);

/// <summary>What one kind of request of the probe saw.</summary>
public sealed record ProbeChannel(
    [property: JsonPropertyName("requests")] int Requests,
    [property: JsonPropertyName("replies")] int Replies,
    [property: JsonPropertyName("connects")] int Connects,
    [property: JsonPropertyName("errors")] int Errors,
    [property: JsonPropertyName("errors_by_kind")] IReadOnlyDictionary<string, int> ErrorsByKind,
    [property: JsonPropertyName("longest_gap_ms")] double LongestGapMilliseconds,
    [property: JsonPropertyName("tokens")] IReadOnlyList<string> Tokens,
    [property: JsonPropertyName("hostnames")] IReadOnlyList<string> Hostnames,
    [property: JsonPropertyName("broken")] bool? Broken,
    [property: JsonPropertyName("reconnects")] int? Reconnects);
