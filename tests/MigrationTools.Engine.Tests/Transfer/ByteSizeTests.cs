using MigrationTools.Engine.Transfer;

namespace MigrationTools.Engine.Tests.Transfer;

public sealed class ByteSizeTests
{
    [Theory]
    [InlineData(0L, "0 B")]
    [InlineData(1023L, "1023 B")]
    [InlineData(1024L, "1.0 KiB")]
    [InlineData(1536L, "1.5 KiB")]
    [InlineData(1L << 30, "1.0 GiB")]
    [InlineData(5L << 40, "5.0 TiB")]
    public void FormatsInBinaryUnits(long bytes, string expected)
    {
        Assert.Equal(expected, ByteSize.Format(bytes));
    }
}
