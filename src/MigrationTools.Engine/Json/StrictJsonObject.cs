using System;
using System.Collections.Generic;

namespace MigrationTools.Engine.Json;

/// <summary>
/// The properties of one JSON object, already checked to be known and unrepeated; a property read through the indexer
/// is required.
/// </summary>
internal sealed class StrictJsonObject
{
    private readonly StrictJsonReader _reader;
    private readonly Dictionary<string, StrictJsonValue> _properties;

    /// <summary>Initializes a new instance of the <see cref="StrictJsonObject"/> class.</summary>
    /// <param name="reader">The reader that phrases faults.</param>
    /// <param name="path">The object's JSON path.</param>
    /// <param name="properties">The properties by name.</param>
    internal StrictJsonObject(StrictJsonReader reader, string path, Dictionary<string, StrictJsonValue> properties)
    {
        _reader = reader;
        Path = path;
        _properties = properties;
    }

    /// <summary>Gets the object's JSON path.</summary>
    public string Path { get; }

    /// <summary>Gets a required property.</summary>
    /// <param name="name">The property name.</param>
    /// <returns>The value.</returns>
    public StrictJsonValue this[string name] =>
        _properties.TryGetValue(name, out var value) ? value : throw Fault($"The required property \"{name}\" is missing.");

    /// <summary>Whether the object has a property.</summary>
    /// <param name="name">The property name.</param>
    /// <returns><see langword="true"/> when present.</returns>
    public bool Has(string name) => _properties.ContainsKey(name);

    /// <summary>Gets an optional property.</summary>
    /// <param name="name">The property name.</param>
    /// <param name="value">The value, when present.</param>
    /// <returns><see langword="true"/> when present.</returns>
    public bool TryGet(string name, out StrictJsonValue value) => _properties.TryGetValue(name, out value);

    /// <summary>A fault of the object as a whole.</summary>
    /// <param name="fault">What is wrong.</param>
    /// <returns>The format's exception, to throw.</returns>
    public Exception Fault(string fault) => _reader.Fault(Path, fault);
}
