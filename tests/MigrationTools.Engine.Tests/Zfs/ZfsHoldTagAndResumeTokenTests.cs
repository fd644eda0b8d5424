using MigrationTools.Engine.Zfs;

namespace MigrationTools.Engine.Tests.Zfs;

public class ZfsHoldTagAndResumeTokenTests
{
    [Theory]
    [InlineData("migrationtools")]
    [InlineData("mt-abc:1.2_3")]
    [InlineData("A")]
    public void AcceptsPlainTags(string value)
    {
        Assert.Equal(value, ZfsHoldTag.Parse(value).ToString());
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData(".send-1-2", "begins with '.'")]
    [InlineData("-r", "begins with '-'")]
    [InlineData("a b", "a space")]
    [InlineData("a/b", "'/'")]
    [InlineData("a@b", "'@'")]
    [InlineData("$(id)", "begins with '$'")]
    public void RefusesOtherTags(string value, string fault)
    {
        Assert.Contains(fault, Assert.Throws<ArgumentException>(() => ZfsHoldTag.Parse(value)).Message, StringComparison.Ordinal);
        Assert.False(ZfsHoldTag.TryParse(value, out _));
    }

    [Fact]
    public void TagsAreAtMost64Characters()
    {
        Assert.True(ZfsHoldTag.TryParse(new string('t', 64), out _));
        Assert.False(ZfsHoldTag.TryParse(new string('t', 65), out _));
    }

    [Theory]
    [InlineData("1-e604ea4bf-e0-789c63a2c4")]
    [InlineData("1-10a1b3b9c8-118-789C636064000310A500C4EC50360710E72765A526973030")]
    public void AcceptsResumeTokens(string value)
    {
        Assert.Equal(value, ZfsResumeToken.Parse(value).Value);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("-", "version number")]
    [InlineData("abc", "version number")]
    [InlineData("1", "version number")]
    [InlineData("1-abc def", "a space")]
    [InlineData("1-abc;rm", "';'")]
    [InlineData("1-xyz", "'x'")]
    public void RefusesWhatIsNotAResumeToken(string value, string fault)
    {
        Assert.Contains(fault, Assert.Throws<ArgumentException>(() => ZfsResumeToken.Parse(value)).Message, StringComparison.Ordinal);
        Assert.False(ZfsResumeToken.TryParse(value, out _));
    }
}
