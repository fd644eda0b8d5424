using MigrationTools.Engine.Zfs;

namespace MigrationTools.Engine.Tests.Zfs;

public class ZfsUserPropertyTests
{
    [Theory]
    [InlineData("migrationtools:migration", "migrationtools", "migration")]
    [InlineData("com.example:a-b_c.d", "com.example", "a-b_c.d")]
    [InlineData("0:9", "0", "9")]
    public void AcceptsModuleColonProperty(string value, string module, string property)
    {
        var name = ZfsUserPropertyName.Parse(value);

        Assert.Equal(value, name.Value);
        Assert.Equal(module, name.Module);
        Assert.Equal(property, name.Property);
        Assert.Equal(name, ZfsUserPropertyName.Create(module, property));
        Assert.True(ZfsUserPropertyName.TryParse(value, out var again));
        Assert.Equal(name, again);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("readonly", "no ':'")]
    [InlineData("a:b:c", "more than one ':'")]
    [InlineData(":b", "empty part")]
    [InlineData("a:", "empty part")]
    [InlineData("MigrationTools:x", "'M'")]
    [InlineData("a:-x", "does not begin with a letter or digit")]
    [InlineData("-a:x", "does not begin with a letter or digit")]
    [InlineData("a:b c", "a space")]
    [InlineData("a:b=c", "'='")]
    [InlineData("a:$(id)", "'$'")]
    [InlineData("a:b\nc", "a line break")]
    public void RefusesInvalidNamesNamingTheFault(string value, string fault)
    {
        var error = Assert.Throws<ArgumentException>(() => ZfsUserPropertyName.Parse(value));

        Assert.Contains(fault, error.Message, StringComparison.Ordinal);
        Assert.False(ZfsUserPropertyName.TryParse(value, out var none));
        Assert.Null(none);
    }

    [Fact]
    public void NamesAreAtMost255Characters()
    {
        var longest = "m:" + new string('p', 253);

        Assert.Equal(255, ZfsUserPropertyName.Parse(longest).Value.Length);
        Assert.Contains("at most 255", Assert.Throws<ArgumentException>(() => ZfsUserPropertyName.Parse(longest + "p")).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("-")]
    [InlineData("a=b c$(x) 'q' \"d\" \u00e9\u2713")]
    public void AcceptsPlainTextValues(string value)
    {
        Assert.Equal(value, ZfsUserPropertyValue.Parse(value).Value);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("a\tb", "a tab")]
    [InlineData("a\nb", "a line break")]
    [InlineData("a\u001bb", "U+001B")]
    [InlineData("a\u0000b", "U+0000")]
    public void RefusesValuesZfsGetCouldNotReturnIntact(string value, string fault)
    {
        var error = Assert.Throws<ArgumentException>(() => ZfsUserPropertyValue.Parse(value));

        Assert.Contains(fault, error.Message, StringComparison.Ordinal);
        Assert.False(ZfsUserPropertyValue.TryParse(value, out _));
    }

    [Fact]
    public void RefusesTextThatIsNotUnicode()
    {
        // Built here: an attribute argument cannot carry a lone surrogate.
        var lone = "a" + (char)0xD800 + "b";

        Assert.Contains("unpaired surrogate", Assert.Throws<ArgumentException>(() => ZfsUserPropertyValue.Parse(lone)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ValuesAreShorterThan8KiBInUtf8()
    {
        // zfs-fuse took 8191 bytes and failed on 8192 with "Argument list too long"; OpenZFS's limit is the same.
        Assert.Equal(8191, ZfsUserPropertyValue.Parse(new string('a', 8191)).Value.Length);
        Assert.Throws<ArgumentException>(() => ZfsUserPropertyValue.Parse(new string('a', 8192)));
        Assert.Contains("8192 bytes", Assert.Throws<ArgumentException>(() => ZfsUserPropertyValue.Parse(new string('\u00e9', 4096))).Message, StringComparison.Ordinal);
    }
}
