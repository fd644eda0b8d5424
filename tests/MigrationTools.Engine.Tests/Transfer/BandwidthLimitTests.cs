using MigrationTools.Engine.Transfer;

namespace MigrationTools.Engine.Tests.Transfer;

public sealed class BandwidthLimitTests
{
    [Theory]
    [InlineData("1048576", 1048576L)]
    [InlineData("50M", 50L << 20)]
    [InlineData("50m", 50L << 20)]
    [InlineData("50MB", 50L << 20)]
    [InlineData("50MiB", 50L << 20)]
    [InlineData("1.5G", 3L << 29)]
    [InlineData("800K", 800L << 10)]
    [InlineData(" 2G ", 2L << 30)]
    public void ParsesBinaryUnits(string text, long expected)
    {
        Assert.Equal(expected, BandwidthLimit.Parse(text).BytesPerSecond);
    }

    [Theory]
    [InlineData("")]
    [InlineData("M")]
    [InlineData("-5M")]
    [InlineData("0")]
    [InlineData("fast")]
    [InlineData("5T")]
    [InlineData("5 M")]
    [InlineData("1e6")]
    [InlineData("$(reboot)")]
    public void RefusesWhatIsNotARate(string text)
    {
        var error = Assert.Throws<FormatException>(() => BandwidthLimit.Parse(text));
        Assert.Contains("for example 50M", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("100")]
    [InlineData("200G")]
    public void RefusesAbsurdRates(string text)
    {
        Assert.ThrowsAny<ArgumentException>(() => BandwidthLimit.Parse(text));
    }

    [Theory]
    [InlineData("50M")]
    [InlineData("3K")]
    [InlineData("2G")]
    [InlineData("1025")]
    public void RoundTripsThroughText(string text)
    {
        Assert.Equal(text, BandwidthLimit.Parse(text).ToString());
    }
}
