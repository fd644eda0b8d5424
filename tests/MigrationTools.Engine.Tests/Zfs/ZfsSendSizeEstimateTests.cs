using MigrationTools.Engine.Zfs;

namespace MigrationTools.Engine.Tests.Zfs;

public class ZfsSendSizeEstimateTests
{
    [Theory]
    [InlineData("full\ttank/a@1\t1234567\nsize\t1234567\n", 1234567)]
    [InlineData("incremental\ttank/a@1\ttank/a@2\t100\nincremental\ttank/a@2\ttank/a@3\t200\nsize\t300\n", 300)]
    [InlineData("full\ttank/a@1\t0\r\nsize\t0\r\n", 0)]
    public void ParsesTheDryRunsSizeLine(string output, long bytes)
    {
        var estimate = ZfsSendSizeEstimate.ParseDryRun(output);

        Assert.Equal(bytes, estimate.Bytes);
        Assert.Equal(ZfsSendSizeBasis.DryRun, estimate.Basis);
        Assert.True(estimate.IsKnown);
    }

    [Theory]
    [InlineData("")]
    [InlineData("full send of tank/a@1 estimated size is 1.2M\ntotal estimated size is 1.2M\n")]
    [InlineData("size\t1.2M\n")]
    public void RefusesOutputWithoutAParsableSize(string output)
    {
        Assert.Throws<FormatException>(() => ZfsSendSizeEstimate.ParseDryRun(output));
    }

    [Fact]
    public void UnknownHasNoFigure()
    {
        Assert.False(ZfsSendSizeEstimate.Unknown.IsKnown);
        Assert.Equal(ZfsSendSizeBasis.Unknown, ZfsSendSizeEstimate.Unknown.Basis);
    }

    [Fact]
    public void FallbackForAFullStreamIsTheSnapshotsReferencedSpace()
    {
        var listing = Tree();

        var estimate = ZfsSendSizeEstimate.FromSpaceUsage(listing, ZfsSendRequest.Full(SnapshotName.Parse("tank/a@1"), false));

        Assert.Equal(new ZfsSendSizeEstimate(4096, ZfsSendSizeBasis.Referenced), estimate);
    }

    [Fact]
    public void FallbackForAReplicationStreamIsTheTreesUsedSpace()
    {
        var estimate = ZfsSendSizeEstimate.FromSpaceUsage(Tree(), ZfsSendRequest.Full(SnapshotName.Parse("tank/a@1"), true));

        Assert.Equal(new ZfsSendSizeEstimate(1000, ZfsSendSizeBasis.Used), estimate);
    }

    [Fact]
    public void FallbackForOneDatasetsIncrementalLeavesOutItsChildren()
    {
        var request = ZfsSendRequest.Incremental(SnapshotName.Parse("tank/a@1"), SnapshotName.Parse("tank/a@2"), false);

        var estimate = ZfsSendSizeEstimate.FromSpaceUsage(Tree(), request);

        Assert.Equal(new ZfsSendSizeEstimate(1000 - 300, ZfsSendSizeBasis.Used), estimate);
    }

    [Fact]
    public void FallbackIsUnknownWhenTheListingLacksTheDatasetOrSnapshot()
    {
        Assert.Equal(ZfsSendSizeEstimate.Unknown, ZfsSendSizeEstimate.FromSpaceUsage(Tree(), ZfsSendRequest.Full(SnapshotName.Parse("tank/b@1"), false)));
        Assert.Equal(ZfsSendSizeEstimate.Unknown, ZfsSendSizeEstimate.FromSpaceUsage(Tree(), ZfsSendRequest.Full(SnapshotName.Parse("tank/a@9"), false)));
    }

    private static ZfsListing Tree() => ZfsListing.Parse(string.Join("\n",
        ZfsListingTests.Dataset("tank/a", ("used", "1000", "-")),
        ZfsListingTests.Snapshot("tank/a@1", guid: 1, txg: 1),
        ZfsListingTests.Snapshot("tank/a@2", guid: 2, txg: 2),
        ZfsListingTests.Dataset("tank/a/c", ("used", "300", "-")),
        ZfsListingTests.Dataset("tank/a/c/d", ("used", "100", "-"))));
}
