using MigrationTools.Engine.Zfs;

namespace MigrationTools.Engine.Tests.Zfs;

/// <summary>Failure kinds told from messages recorded on zfs-fuse in the lab and from OpenZFS's sources.</summary>
public class ZfsCommandExceptionTests
{
    [Theory]
    [InlineData("cannot open 'tank/nope': dataset does not exist", ZfsFailure.DoesNotExist)]
    [InlineData("cannot destroy 'tank/ex4@nope': dataset does not exist\nno snapshots destroyed", ZfsFailure.DoesNotExist)]
    [InlineData("could not find any snapshots to destroy; check snapshot names.", ZfsFailure.DoesNotExist)]
    [InlineData("cannot create snapshot 'tank/ex4@1': dataset already exists", ZfsFailure.AlreadyExists)]
    [InlineData("cannot receive new filesystem stream: destination 'tank/a' exists\nmust specify -F to overwrite it", ZfsFailure.AlreadyExists)]
    [InlineData("cannot destroy 'tank/explore1@a': dataset is busy", ZfsFailure.Busy)]
    [InlineData("cannot destroy 'tank/a': pool or dataset is busy", ZfsFailure.Busy)]
    [InlineData("cannot hold 'tank/ex2/c@2': tag already exists on this dataset", ZfsFailure.TagAlreadyExists)]
    [InlineData("cannot release 'mt-y' from 'tank/ex2@2': no such tag on this dataset", ZfsFailure.NoSuchTag)]
    [InlineData("cannot unmount 'tank/ex4': not currently mounted", ZfsFailure.NotMounted)]
    [InlineData("cannot mount 'tank/ex4': filesystem already mounted", ZfsFailure.AlreadyMounted)]
    [InlineData("cannot receive incremental stream: destination tank/ex2 has been modified\nsince most recent snapshot", ZfsFailure.DestinationModified)]
    [InlineData("'tank/a' does not have any resumable receive state to abort", ZfsFailure.NoResumableState)]
    [InlineData("internal error: /usr/lib/zfs/pyzfs.py not found", ZfsFailure.Other)]
    [InlineData("", ZfsFailure.Other)]
    public void TellsFailuresApartByTheirMessages(string standardError, ZfsFailure expected)
    {
        Assert.Equal(expected, ZfsCommandException.Classify(1, standardError));
    }

    [Fact]
    public void AMissingZfsIsUnavailable()
    {
        Assert.Equal(ZfsFailure.Unavailable, ZfsCommandException.Classify(127, "sh: 1: zfs: not found"));
        Assert.Equal(ZfsFailure.Unavailable, ZfsCommandException.Classify(127, ""));
    }

    [Fact]
    public void TheMessageNamesTheCommandHostAndError()
    {
        var error = new ZfsCommandException(ZfsFailure.Busy, "h1", "'zfs' 'destroy' 'tank/a@1'", 1, "cannot destroy 'tank/a@1': dataset is busy\n");

        Assert.Equal(ZfsFailure.Busy, error.Failure);
        Assert.Equal(1, error.ExitCode);
        Assert.Equal("h1", error.Host);
        Assert.Contains("'zfs' 'destroy' 'tank/a@1' failed on h1 with exit status 1", error.Message, StringComparison.Ordinal);
        Assert.Contains("dataset is busy", error.Message, StringComparison.Ordinal);
    }
}
