using MigrationTools.Engine.Replication;
using MigrationTools.Engine.Transfer;
using MigrationTools.Engine.Zfs;

namespace MigrationTools.Engine.Tests.Replication;

public sealed class ReplicationRequestTests
{
    private static readonly DatasetName Source = DatasetName.Parse("tank/app");
    private static readonly DatasetName Target = DatasetName.Parse("tank/app-copy");

    [Fact]
    public void DefaultsAreTheSafeOnes()
    {
        var request = new ReplicationRequest(Source, Target, "m1");

        Assert.True(request.IncludeChildren);
        Assert.Equal(TransferPath.Relay, request.Path);
        Assert.Equal(StreamCompression.None, request.Compression);
        Assert.False(request.Force);
        Assert.Null(request.BandwidthLimit);
        Assert.Equal("mt-m1", request.HoldTag.Value);
    }

    [Theory]
    [InlineData("")]
    [InlineData("Upper")]
    [InlineData("a b")]
    [InlineData("$(reboot)")]
    [InlineData("x;rm")]
    [InlineData("-leading")]
    [InlineData("a\nb")]
    [InlineData("a123456789b123456789c123456789d123456789e")]
    public void HostileMigrationIdsAreRefused(string id)
    {
        Assert.Throws<ArgumentException>(() => new ReplicationRequest(Source, Target, id));
    }
}
