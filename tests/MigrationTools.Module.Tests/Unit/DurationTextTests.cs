namespace MigrationTools.Module.Tests.Unit;

/// <summary>How the views show durations: short, in the unit that fits, exact enough to compare downtimes.</summary>
public sealed class DurationTextTests
{
    [Theory]
    [InlineData(0, "0 ms")]
    [InlineData(420, "420 ms")]
    [InlineData(999.4, "999 ms")]
    [InlineData(1000, "1.00 s")]
    [InlineData(1424, "1.42 s")]
    [InlineData(12_340, "12.3 s")]
    [InlineData(252_000, "4 min 12 s")]
    [InlineData(7_380_000, "2 h 03 min")]
    [InlineData(273_600_000, "3 d 04 h")]
    [InlineData(-5, "0 ms")]
    public void ShowsADurationInTheUnitThatFits(double milliseconds, string expected)
    {
        Assert.Equal(expected, DurationText.Format(TimeSpan.FromMilliseconds(milliseconds)));
    }

    [Fact]
    public void NoDurationIsShownAsNothing()
    {
        Assert.Equal("", DurationText.Format(null));
    }
}
