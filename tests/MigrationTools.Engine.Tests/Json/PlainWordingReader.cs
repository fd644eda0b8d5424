using System.Text.Json;
using MigrationTools.Engine.Json;

namespace MigrationTools.Engine.Tests.Json;

/// <summary>
/// A format over <see cref="StrictJsonReader"/> whose faults spell out every argument the reader passes, so tests see
/// exactly what reached the wording; it refuses strings that contain a tab, to exercise the per-format string rule.
/// </summary>
internal sealed class PlainWordingReader : StrictJsonReader
{
    public static StrictJsonValue Read(JsonDocument document) => new PlainWordingReader().Root(document.RootElement);

    internal override Exception Fault(string path, string fault) => new FormatException(path + ": " + fault);

    internal override string Mismatch(JsonElement found, StrictJsonExpectation expected, string description) =>
        $"expected {expected} <{description}>, found {found.ValueKind} {found.GetRawText()}";

    internal override string UnknownProperty(string name, string description, IReadOnlyList<string> known) =>
        $"unknown {name} in <{description}>; known {string.Join(",", known)}";

    internal override string RepeatedProperty(string name) => "repeated " + name;

    internal override string? StringError(string text) => text.Contains('\t', StringComparison.Ordinal) ? "a tab in " + text.Trim() : null;
}
