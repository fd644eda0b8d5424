using System.Text;
using MigrationTools.Engine.Remote;

namespace MigrationTools.Engine.Tests.Remote;

public class TailBufferTests
{
    [Fact]
    public void KeepsEverythingUnderTheCapacity()
    {
        var tail = new TailBuffer(10);
        tail.Append(Encoding.ASCII.GetBytes("abc"), 0, 3);
        tail.Append(Encoding.ASCII.GetBytes("xdefx"), 1, 3);

        Assert.Equal("abcdef", tail.ToString());
        Assert.False(tail.Truncated);
        Assert.Equal(6, tail.TotalBytes);
    }

    [Fact]
    public void KeepsOnlyTheLastBytes()
    {
        var tail = new TailBuffer(4);
        for (var i = 0; i < 10; i++)
        {
            tail.Append(Encoding.ASCII.GetBytes(i.ToString(System.Globalization.CultureInfo.InvariantCulture)), 0, 1);
        }

        Assert.Equal("6789", tail.ToString());
        Assert.True(tail.Truncated);
        Assert.Equal(10, tail.TotalBytes);
    }

    [Fact]
    public void AChunkLargerThanTheCapacityLeavesItsEnd()
    {
        var tail = new TailBuffer(3);
        tail.Append(Encoding.ASCII.GetBytes("ab"), 0, 2);
        tail.Append(Encoding.ASCII.GetBytes("0123456789"), 0, 10);

        Assert.Equal("789", tail.ToString());
    }

    [Fact]
    public void ZeroCapacityKeepsNothingButCounts()
    {
        var tail = new TailBuffer(0);
        tail.Append([1, 2, 3], 0, 3);

        Assert.Empty(tail.ToArray());
        Assert.Equal(3, tail.TotalBytes);
    }
}
