using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using MigrationTools.Cli.Demo;

namespace MigrationTools.Cli.Output;

/// <summary>Writes the views as JSON: indented documents for results, single lines for progress events.</summary>
internal static class CliJson
{
    private static readonly CliJsonContext Indented = new(Options(indented: true));
    private static readonly CliJsonContext Compact = new(Options(indented: false));

    /// <summary>One indented JSON document.</summary>
    /// <typeparam name="T">A view type known to <see cref="CliJsonContext"/>.</typeparam>
    /// <param name="value">The value.</param>
    /// <returns>The text, without a trailing line break.</returns>
    public static string Document<T>(T value) => JsonSerializer.Serialize(value, typeof(T), Indented);

    /// <summary>One JSON document on a single line, for NDJSON.</summary>
    /// <typeparam name="T">A view type known to <see cref="CliJsonContext"/>.</typeparam>
    /// <param name="value">The value.</param>
    /// <returns>The line, without a line break.</returns>
    public static string Line<T>(T value) => JsonSerializer.Serialize(value, typeof(T), Compact);

    private static JsonSerializerOptions Options(bool indented) => new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DictionaryKeyPolicy = null,
        WriteIndented = indented,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        // Read by people and programs, never embedded in HTML: keep host names, paths and messages legible.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };
}

/// <summary>The view types, serialised without reflection.</summary>
[JsonSerializable(typeof(WorkloadView))]
[JsonSerializable(typeof(IReadOnlyList<WorkloadView>))]
[JsonSerializable(typeof(WorkloadStopView))]
[JsonSerializable(typeof(WorkloadUnregisterView))]
[JsonSerializable(typeof(MigrationView))]
[JsonSerializable(typeof(IReadOnlyList<MigrationView>))]
[JsonSerializable(typeof(PlanView))]
[JsonSerializable(typeof(FailureView))]
[JsonSerializable(typeof(ProgressEventView))]
[JsonSerializable(typeof(DemoView))]
[JsonSerializable(typeof(HostTextView))]
[JsonSerializable(typeof(DrainWorkloadView))]
[JsonSerializable(typeof(DrainSummaryView))]
[JsonSerializable(typeof(DrainStatusEventView))]
[JsonSerializable(typeof(IReadOnlyList<DrainPlanView>))]
internal sealed partial class CliJsonContext : JsonSerializerContext;
