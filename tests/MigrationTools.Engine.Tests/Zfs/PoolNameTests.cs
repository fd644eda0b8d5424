using MigrationTools.Engine.Zfs;

namespace MigrationTools.Engine.Tests.Zfs;

public class PoolNameTests
{
    [Theory]
    [InlineData("tank")]
    [InlineData("Pool_2")]
    [InlineData("a.b:c-d")]
    [InlineData("logs")]
    [InlineData("c")]
    public void AcceptsValidNames(string value)
    {
        Assert.Equal(value, PoolName.Parse(value).Value);
        Assert.Equal(DatasetName.Parse(value), PoolName.Parse(value).RootDataset);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("2tank", "begin with a letter")]
    [InlineData("_tank", "begin with a letter")]
    [InlineData("-tank", "begin with '-'")]
    [InlineData("tank/a", "single word")]
    [InlineData("mirror", "reserved")]
    [InlineData("mirror2", "reserved")]
    [InlineData("raidz", "reserved")]
    [InlineData("raidz2", "reserved")]
    [InlineData("draid", "reserved")]
    [InlineData("spare", "reserved")]
    [InlineData("log", "reserved")]
    [InlineData("c1", "disk devices")]
    [InlineData("ta nk", "a space")]
    [InlineData("tank;", "';'")]
    [InlineData("..", "'..' is not allowed")]
    public void RefusesInvalidNames(string value, string fault)
    {
        var error = Assert.Throws<ArgumentException>(() => PoolName.Parse(value));

        Assert.Contains(fault, error.Message, StringComparison.Ordinal);
        Assert.False(PoolName.TryParse(value, out _));
    }
}
