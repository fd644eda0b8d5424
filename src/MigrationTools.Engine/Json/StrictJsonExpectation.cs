namespace MigrationTools.Engine.Json;

/// <summary>What a <see cref="StrictJsonValue"/> getter expected, so a format can phrase the fault its own way.</summary>
internal enum StrictJsonExpectation
{
    /// <summary>An object with a fixed set of properties.</summary>
    Object,

    /// <summary>An object whose property names are free (a map).</summary>
    Map,

    /// <summary>An array.</summary>
    Array,

    /// <summary>A string.</summary>
    String,

    /// <summary>A whole number within a range.</summary>
    Integer,

    /// <summary><c>true</c> or <c>false</c>.</summary>
    Boolean,
}
