using System;
using System.Collections.Generic;
using System.Text.Json;

namespace MigrationTools.Engine.Json;

/// <summary>
/// A strict walk over a parsed JSON document: an object holds only the properties its format names, each at most
/// once; a required property is present; every value has the kind its getter expects. The first fault ends the walk
/// with the JSON path where it lies. A format derives from this class to raise its own exception and to phrase the
/// faults in the words its files have always been reported with.
/// </summary>
internal abstract class StrictJsonReader
{
    /// <summary>Strict RFC 8259 (no comments, no trailing commas) and shallow: no format nests deeper than this.</summary>
    public static readonly JsonDocumentOptions DocumentOptions = new()
    {
        AllowTrailingCommas = false,
        CommentHandling = JsonCommentHandling.Disallow,
        MaxDepth = 16,
    };

    /// <summary>The document's root value, at path <c>$</c>.</summary>
    /// <param name="root">The root element.</param>
    /// <returns>The value.</returns>
    public StrictJsonValue Root(JsonElement root) => new(this, root, "$");

    /// <summary>The exception the format raises for a fault.</summary>
    /// <param name="path">The JSON path of the faulty value.</param>
    /// <param name="fault">What is wrong, as a sentence.</param>
    /// <returns>The exception, to throw.</returns>
    internal abstract Exception Fault(string path, string fault);

    /// <summary>The path of a property of the value at <paramref name="path"/>.</summary>
    /// <param name="path">The object's path.</param>
    /// <param name="name">The property name.</param>
    /// <returns>The property's path.</returns>
    internal virtual string MemberPath(string path, string name) => path + "." + name;

    /// <summary>The fault for a value that is not what a getter expected.</summary>
    /// <param name="found">The value found.</param>
    /// <param name="expected">What was expected.</param>
    /// <param name="description">The caller's description of the expected object, map or array items.</param>
    /// <returns>The sentence.</returns>
    internal abstract string Mismatch(JsonElement found, StrictJsonExpectation expected, string description);

    /// <summary>The fault for a property the object does not have.</summary>
    /// <param name="name">The property found.</param>
    /// <param name="description">The caller's description of the object.</param>
    /// <param name="known">The properties the object may have.</param>
    /// <returns>The sentence.</returns>
    internal abstract string UnknownProperty(string name, string description, IReadOnlyList<string> known);

    /// <summary>The fault for a property given twice in one object.</summary>
    /// <param name="name">The property.</param>
    /// <returns>The sentence.</returns>
    internal abstract string RepeatedProperty(string name);

    /// <summary>A rule every string value of the format obeys.</summary>
    /// <param name="text">The string.</param>
    /// <returns>The fault, or <see langword="null"/> when the string is acceptable.</returns>
    internal virtual string? StringError(string text) => null;
}
