using MigrationTools.Engine.Workloads;

namespace MigrationTools.Engine.Tests.Zfs;

public class WorkloadNameTests
{
    [Theory]
    [InlineData("web")]
    [InlineData("web-1")]
    [InlineData("Counter_2.service")]
    [InlineData("9lives")]
    public void AcceptsValidNames(string value)
    {
        Assert.Equal(value, WorkloadName.Parse(value).Value);
        Assert.True(WorkloadName.TryParse(value, out var name));
        Assert.Equal(value, name!.ToString());
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("-web", "begins with '-'")]
    [InlineData(".web", "begins with '.'")]
    [InlineData("..", "begins with '.'")]
    [InlineData("_web", "begins with '_'")]
    [InlineData("web 1", "a space")]
    [InlineData("web/1", "'/'")]
    [InlineData("web:1", "':'")]
    [InlineData("web;reboot", "';'")]
    [InlineData("$(id)", "begins with '$'")]
    [InlineData("w`id`", "'`'")]
    [InlineData("web\n", "a line break")]
    [InlineData("w\u00e9b", "'\u00e9'")]
    public void RefusesHostileNames(string value, string fault)
    {
        var error = Assert.Throws<ArgumentException>(() => WorkloadName.Parse(value));

        Assert.Contains(fault, error.Message, StringComparison.Ordinal);
        Assert.False(WorkloadName.TryParse(value, out var none));
        Assert.Null(none);
    }

    [Fact]
    public void RefusesVeryLongNames()
    {
        Assert.Equal(64, WorkloadName.Parse(new string('w', 64)).Value.Length);
        Assert.Contains("65 characters", Assert.Throws<ArgumentException>(() => WorkloadName.Parse(new string('w', 65))).Message, StringComparison.Ordinal);
    }
}
