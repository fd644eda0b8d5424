using MigrationTools.Engine.Migrations;
using MigrationTools.Engine.Zfs;

namespace MigrationTools.Engine.Tests.Migrations;

/// <summary>Migration ids: generated in one form, and nothing else accepted.</summary>
public class MigrationIdTests
{
    [Fact]
    public void NewIdsHaveThePrefixAndTwelveLowercaseHexDigits()
    {
        var ids = Enumerable.Range(0, 200).Select(_ => MigrationId.New().Value).ToList();

        Assert.All(ids, id => Assert.Matches("^m-[0-9a-f]{12}$", id));
        Assert.Equal(ids.Count, ids.Distinct().Count());
    }

    [Fact]
    public void NewIdsAreValidInSnapshotNames()
    {
        var id = MigrationId.New();

        Assert.Null(MigrationSnapshotNames.MigrationIdError(id.Value));
        Assert.Equal(id, MigrationId.Parse(id.Value));
    }

    [Theory]
    [InlineData("")]
    [InlineData("m-")]
    [InlineData("m-0123456789a")]
    [InlineData("m-0123456789abc")]
    [InlineData("M-0123456789ab")]
    [InlineData("m-0123456789AB")]
    [InlineData("m-0123456789ag")]
    [InlineData("x-0123456789ab")]
    [InlineData("m_0123456789ab")]
    [InlineData("../0123456789ab")]
    [InlineData("m-0123456789/b")]
    [InlineData("m-0123456789\nb")]
    [InlineData("m-0123456789 b")]
    [InlineData("m-01234567\u0661\u0662ab")]
    public void HostileOrMalformedIdsAreRefused(string text)
    {
        Assert.False(MigrationId.TryParse(text, out var id));
        Assert.Null(id);
        var error = Assert.Throws<ArgumentException>(() => MigrationId.Parse(text));
        Assert.Contains("m-", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("\n", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NullIsRefused()
    {
        Assert.False(MigrationId.TryParse(null, out _));
        Assert.NotNull(MigrationId.Error(null));
    }
}
