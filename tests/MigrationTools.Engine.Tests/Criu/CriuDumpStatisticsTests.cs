using MigrationTools.Engine.Criu;

namespace MigrationTools.Engine.Tests.Criu;

/// <summary>The page counts read from what <c>criu pre-dump --display-stats</c> prints.</summary>
public class CriuDumpStatisticsTests
{
    // As CRIU 4.2.1 printed it on the lab (a dump; a pre-dump prints the same memory lines).
    private const string Printed = """
        Displaying dump stats:
        Freezing time: 177 us
        Frozen time: 24310 us
        Memory dump time: 1603 us
        Memory write time: 812 us
        Memory pages scanned: 42 (0x2a)
        Memory pages skipped from parent: 14 (0xe)
        Memory pages written: 28 (0x1c)
        Lazy memory pages: 0 (0x0)
        Page pipe: 2
        Page pipe buffers: 3
        """;

    [Fact]
    public void TheCountsComeFromTheirOwnLines()
    {
        var statistics = CriuDumpStatistics.Parse(Printed);

        Assert.Equal(new CriuDumpStatistics(42, 14, 28), statistics);
        Assert.Equal("42 pages scanned, 14 skipped from parent, 28 written", statistics.ToString());
    }

    [Fact]
    public void AFirstRoundWithoutAParentAndACountPrintedTwiceReadAsCriuMeantThem()
    {
        var first = CriuDumpStatistics.Parse("Memory pages scanned: 262144 (0x40000)\r\nMemory pages written: 262100 (0x3ffd4)\r\n");
        var twice = CriuDumpStatistics.Parse("Memory pages written: 5 (0x5)\nMemory pages written: 7 (0x7)\n");

        Assert.Equal(new CriuDumpStatistics(262144, -1, 262100), first);
        Assert.Equal(7, twice.Written);
    }

    [Theory]
    [InlineData("")]
    [InlineData(null)]
    [InlineData("Memory pages written: many\n")]
    [InlineData("Lazy memory pages written: 12 (0xc)\nError (criu/mem.c:541): Can't dump pages\n")]
    [InlineData("Memory pages written: 99999999999999999999 (0x0)\n")]
    public void OutputWithoutAWrittenCountSaysSo(string? output) =>
        Assert.Equal(-1, CriuDumpStatistics.Parse(output).Written);
}
