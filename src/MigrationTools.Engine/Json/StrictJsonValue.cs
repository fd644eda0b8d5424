using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text.Json;

namespace MigrationTools.Engine.Json;

/// <summary>One JSON value and its path, with getters that fail through the format's reader when the kind is wrong.</summary>
internal readonly struct StrictJsonValue
{
    private readonly StrictJsonReader _reader;

    /// <summary>Initializes a new instance of the <see cref="StrictJsonValue"/> struct.</summary>
    /// <param name="reader">The reader that phrases faults.</param>
    /// <param name="element">The value.</param>
    /// <param name="path">Its JSON path.</param>
    internal StrictJsonValue(StrictJsonReader reader, JsonElement element, string path)
    {
        _reader = reader;
        Element = element;
        Path = path;
    }

    /// <summary>Gets the value itself, for kinds the getters do not cover.</summary>
    public JsonElement Element { get; }

    /// <summary>Gets the value's JSON path.</summary>
    public string Path { get; }

    /// <summary>Gets a value indicating whether the value is JSON <c>null</c>.</summary>
    public bool IsNull => Element.ValueKind == JsonValueKind.Null;

    /// <summary>A fault of this value.</summary>
    /// <param name="fault">What is wrong.</param>
    /// <returns>The format's exception, to throw.</returns>
    public Exception Fault(string fault) => _reader.Fault(Path, fault);

    /// <summary>The value as an object that may hold only the <paramref name="known"/> properties, each once.</summary>
    /// <param name="known">The property names allowed.</param>
    /// <param name="description">What the object is, for faults.</param>
    /// <returns>The object.</returns>
    public StrictJsonObject Object(IReadOnlyList<string> known, string description)
    {
        Expect(JsonValueKind.Object, StrictJsonExpectation.Object, description);
        var properties = new Dictionary<string, StrictJsonValue>(StringComparer.Ordinal);
        foreach (var property in Element.EnumerateObject())
        {
            var path = _reader.MemberPath(Path, property.Name);
            if (!Contains(known, property.Name))
            {
                throw _reader.Fault(path, _reader.UnknownProperty(property.Name, description, known));
            }

            if (properties.ContainsKey(property.Name))
            {
                throw _reader.Fault(path, _reader.RepeatedProperty(property.Name));
            }

            properties.Add(property.Name, new StrictJsonValue(_reader, property.Value, path));
        }

        return new StrictJsonObject(_reader, Path, properties);
    }

    /// <summary>The value as an object whose property names are free, in document order, repeats included.</summary>
    /// <param name="description">What the object is, for faults.</param>
    /// <returns>The properties.</returns>
    public IReadOnlyList<KeyValuePair<string, StrictJsonValue>> Members(string description)
    {
        Expect(JsonValueKind.Object, StrictJsonExpectation.Map, description);
        var members = new List<KeyValuePair<string, StrictJsonValue>>();
        foreach (var property in Element.EnumerateObject())
        {
            var value = new StrictJsonValue(_reader, property.Value, _reader.MemberPath(Path, property.Name));
            members.Add(new KeyValuePair<string, StrictJsonValue>(property.Name, value));
        }

        return members;
    }

    /// <summary>The value as an array.</summary>
    /// <param name="description">What the items are, for faults.</param>
    /// <returns>The items, each with its path.</returns>
    public IReadOnlyList<StrictJsonValue> Items(string description)
    {
        Expect(JsonValueKind.Array, StrictJsonExpectation.Array, description);
        var items = new List<StrictJsonValue>();
        foreach (var item in Element.EnumerateArray())
        {
            items.Add(new StrictJsonValue(_reader, item, Path + "[" + items.Count.ToString(CultureInfo.InvariantCulture) + "]"));
        }

        return items;
    }

    /// <summary>The value as a string that obeys the format's rule for strings.</summary>
    /// <returns>The string.</returns>
    public string String()
    {
        Expect(JsonValueKind.String, StrictJsonExpectation.String, "");
        var text = Element.GetString()!;
        return _reader.StringError(text) is { } error ? throw Fault(error) : text;
    }

    /// <summary>The value as a string, or <see langword="null"/> for JSON <c>null</c>.</summary>
    /// <returns>The string or <see langword="null"/>.</returns>
    public string? NullableString() => IsNull ? null : String();

    /// <summary>The value as a whole number from <paramref name="minimum"/> to <paramref name="maximum"/>.</summary>
    /// <param name="minimum">The smallest value accepted.</param>
    /// <param name="maximum">The largest value accepted.</param>
    /// <returns>The number.</returns>
    public long Integer(long minimum = long.MinValue, long maximum = long.MaxValue) =>
        Element.ValueKind == JsonValueKind.Number && Element.TryGetInt64(out var value) && value >= minimum && value <= maximum
            ? value
            : throw Fault(_reader.Mismatch(Element, StrictJsonExpectation.Integer, ""));

    /// <summary>The value as <c>true</c> or <c>false</c>.</summary>
    /// <returns>The boolean.</returns>
    public bool Boolean() => Element.ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => throw Fault(_reader.Mismatch(Element, StrictJsonExpectation.Boolean, "")),
    };

    private static bool Contains(IReadOnlyList<string> names, string name)
    {
        foreach (var known in names)
        {
            if (string.Equals(known, name, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    private void Expect(JsonValueKind kind, StrictJsonExpectation expected, string description)
    {
        if (Element.ValueKind != kind)
        {
            throw Fault(_reader.Mismatch(Element, expected, description));
        }
    }
}
