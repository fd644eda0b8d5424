using System.Text.Json;
using MigrationTools.Engine.Json;

namespace MigrationTools.Engine.Tests.Json;

/// <summary>The strict reader both file formats share: paths, property rules, kinds and ranges.</summary>
public class StrictJsonReaderTests
{
    private static readonly string[] AB = ["a", "b"];
    private static readonly string[] CD = ["c", "d"];

    [Fact]
    public void KnownPropertiesAreReadWithTheirPaths()
    {
        using var document = Parse("""{"a": 7, "b": {"c": "text", "d": [true, false, null]}}""");

        var root = PlainWordingReader.Read(document).Object(AB, "outer");
        var inner = root["b"].Object(CD, "inner");
        var flags = inner["d"].Items("flags");

        Assert.Equal("$", root.Path);
        Assert.Equal(7, root["a"].Integer());
        Assert.Equal("$.b", inner.Path);
        Assert.Equal("$.b.c", inner["c"].Path);
        Assert.Equal("text", inner["c"].String());
        Assert.Equal(["$.b.d[0]", "$.b.d[1]", "$.b.d[2]"], flags.Select(f => f.Path));
        Assert.True(flags[0].Boolean());
        Assert.False(flags[1].Boolean());
        Assert.True(flags[2].IsNull);
        Assert.False(flags[0].IsNull);
    }

    [Fact]
    public void AnUnknownPropertyIsRefusedAtItsPathWithTheKnownNames()
    {
        using var document = Parse("""{"b": {"a": 1, "zz": 2}}""");

        var fault = Assert.Throws<FormatException>(() => PlainWordingReader.Read(document).Object(AB, "outer")["b"].Object(AB, "inner"));

        Assert.Equal("$.b.zz: unknown zz in <inner>; known a,b", fault.Message);
    }

    [Fact]
    public void NamesDifferingOnlyInCaseAreUnknown()
    {
        using var document = Parse("""{"A": 1}""");

        var fault = Assert.Throws<FormatException>(() => PlainWordingReader.Read(document).Object(AB, "outer"));

        Assert.Equal("$.A: unknown A in <outer>; known a,b", fault.Message);
    }

    [Fact]
    public void ARepeatedPropertyIsRefusedAtItsPathEvenWithTheSameValue()
    {
        using var document = Parse("""{"a": 1, "b": 2, "a": 1}""");

        var fault = Assert.Throws<FormatException>(() => PlainWordingReader.Read(document).Object(AB, "outer"));

        Assert.Equal("$.a: repeated a", fault.Message);
    }

    [Fact]
    public void AMissingRequiredPropertyIsReportedAtTheObject()
    {
        using var document = Parse("""{"b": {"a": 1}}""");
        var inner = PlainWordingReader.Read(document).Object(AB, "outer")["b"].Object(AB, "inner");

        var fault = Assert.Throws<FormatException>(() => inner["b"]);

        Assert.Equal("$.b: The required property \"b\" is missing.", fault.Message);
        Assert.False(inner.Has("b"));
        Assert.False(inner.TryGet("b", out _));
        Assert.True(inner.TryGet("a", out var a));
        Assert.Equal("$.b.a", a.Path);
    }

    [Theory]
    [InlineData("""[1]""", "object", "$: expected Object <outer>, found Array [1]")]
    [InlineData("""{"a": "x"}""", "items", "$.a: expected Array <words>, found String \"x\"")]
    [InlineData("""{"a": 1}""", "string", "$.a: expected String <>, found Number 1")]
    [InlineData("""{"a": null}""", "string", "$.a: expected String <>, found Null null")]
    [InlineData("""{"a": [1]}""", "nullable string", "$.a: expected String <>, found Array [1]")]
    [InlineData("""{"a": "1"}""", "integer", "$.a: expected Integer <>, found String \"1\"")]
    [InlineData("""{"a": 1.5}""", "integer", "$.a: expected Integer <>, found Number 1.5")]
    [InlineData("""{"a": 1e30}""", "integer", "$.a: expected Integer <>, found Number 1e30")]
    [InlineData("""{"a": 0}""", "boolean", "$.a: expected Boolean <>, found Number 0")]
    [InlineData("""{"a": "true"}""", "boolean", "$.a: expected Boolean <>, found String \"true\"")]
    [InlineData("""{"a": []}""", "members", "$.a: expected Map <names to words>, found Array []")]
    public void AValueOfTheWrongKindIsRefusedAtItsPath(string json, string getter, string expected)
    {
        using var document = Parse(json);
        var root = PlainWordingReader.Read(document);

        var fault = Assert.Throws<FormatException>(() => Get(root, getter));

        Assert.Equal(expected, fault.Message);
    }

    [Theory]
    [InlineData(-1, false)]
    [InlineData(0, true)]
    [InlineData(10, true)]
    [InlineData(11, false)]
    public void IntegerBoundsAreInclusive(long value, bool accepted)
    {
        using var document = Parse("[" + value.ToString(System.Globalization.CultureInfo.InvariantCulture) + "]");
        var item = PlainWordingReader.Read(document).Items("numbers")[0];

        if (accepted)
        {
            Assert.Equal(value, item.Integer(0, 10));
        }
        else
        {
            var fault = Assert.Throws<FormatException>(() => item.Integer(0, 10));
            Assert.Equal($"$[0]: expected Integer <>, found Number {value}", fault.Message);
        }
    }

    [Fact]
    public void WithoutBoundsAnyInt64IsAccepted()
    {
        using var document = Parse("[-9223372036854775808, 9223372036854775807, 9223372036854775808]");
        var items = PlainWordingReader.Read(document).Items("numbers");

        Assert.Equal(long.MinValue, items[0].Integer());
        Assert.Equal(long.MaxValue, items[1].Integer());
        Assert.Throws<FormatException>(() => items[2].Integer());
    }

    [Fact]
    public void NullableStringsGiveNullOnlyForNull()
    {
        using var document = Parse("""[null, "", "x"]""");
        var items = PlainWordingReader.Read(document).Items("words");

        Assert.Null(items[0].NullableString());
        Assert.Equal("", items[1].NullableString());
        Assert.Equal("x", items[2].NullableString());
    }

    [Fact]
    public void TheFormatsStringRuleHoldsForEveryStringGetter()
    {
        using var document = Parse("""{"a": "ok", "b": ["fine", "tab\there"]}""");
        var root = PlainWordingReader.Read(document).Object(AB, "outer");
        var words = root["b"].Items("words");

        Assert.Equal("ok", root["a"].String());
        Assert.Equal("fine", words[0].NullableString());
        Assert.Equal("$.b[1]: a tab in tab\there", Assert.Throws<FormatException>(() => words[1].String()).Message);
        Assert.Equal("$.b[1]: a tab in tab\there", Assert.Throws<FormatException>(() => words[1].NullableString()).Message);
    }

    [Fact]
    public void MembersKeepDocumentOrderRepeatsAndPaths()
    {
        using var document = Parse("""{"x": "1", "y": "2", "x": "3"}""");

        var members = PlainWordingReader.Read(document).Members("names to words");

        Assert.Equal(["x", "y", "x"], members.Select(m => m.Key));
        Assert.Equal(["1", "2", "3"], members.Select(m => m.Value.String()));
        Assert.Equal(["$.x", "$.y", "$.x"], members.Select(m => m.Value.Path));
    }

    [Fact]
    public void AnEmptyObjectAndAnEmptyArrayAreAccepted()
    {
        using var document = Parse("""{"a": {}, "b": []}""");
        var root = PlainWordingReader.Read(document).Object(AB, "outer");

        Assert.False(root["a"].Object(AB, "inner").Has("a"));
        Assert.Empty(root["b"].Items("words"));
        Assert.Empty(root["a"].Members("names to words"));
    }

    [Fact]
    public void FaultsOfAValueOrAnObjectCarryTheirPath()
    {
        using var document = Parse("""{"b": {"a": [0, 1]}}""");
        var inner = PlainWordingReader.Read(document).Object(AB, "outer")["b"].Object(AB, "inner");

        Assert.Equal("$.b: whole", inner.Fault("whole").Message);
        Assert.Equal("$.b.a[1]: item", inner["a"].Items("numbers")[1].Fault("item").Message);
    }

    [Theory]
    [InlineData("[1,]")]
    [InlineData("""{"a": 1,}""")]
    [InlineData("[1] // note")]
    [InlineData("/* note */ [1]")]
    [InlineData("[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]")]
    public void TheDocumentOptionsRefuseLaxOrDeepJson(string json)
    {
        Assert.ThrowsAny<JsonException>(() => JsonDocument.Parse(json, StrictJsonReader.DocumentOptions).Dispose());
    }

    [Fact]
    public void TheDocumentOptionsAcceptSixteenLevels()
    {
        using var document = JsonDocument.Parse(new string('[', 16) + "1" + new string(']', 16), StrictJsonReader.DocumentOptions);

        Assert.Equal(JsonValueKind.Array, document.RootElement.ValueKind);
    }

    private static JsonDocument Parse(string json) => JsonDocument.Parse(json, StrictJsonReader.DocumentOptions);

    private static object? Get(StrictJsonValue root, string getter)
    {
        if (getter == "object")
        {
            return root.Object(AB, "outer");
        }

        var a = root.Object(AB, "outer")["a"];
        return getter switch
        {
            "items" => a.Items("words"),
            "string" => a.String(),
            "nullable string" => a.NullableString(),
            "integer" => a.Integer(),
            "boolean" => a.Boolean(),
            _ => a.Members("names to words"),
        };
    }
}
