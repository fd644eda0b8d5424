using MigrationTools.Engine.Zfs;

namespace MigrationTools.Engine.Tests.Zfs;

public class CommonSnapshotTests
{
    [Fact]
    public void FindsTheNewestSnapshotBothSidesShare()
    {
        ZfsSnapshot[] source = [Snap("src/a@1", 1, 10), Snap("src/a@2", 2, 20), Snap("src/a@3", 3, 30)];
        ZfsSnapshot[] target = [Snap("dst/a@1", 1, 100), Snap("dst/a@2", 2, 105)];

        var result = CommonSnapshot.FindNewest(source, target);

        Assert.Equal(CommonSnapshotState.Found, result.State);
        Assert.Equal("src/a@2", result.Source!.Name.Value);
        Assert.Equal("dst/a@2", result.Target!.Name.Value);
        Assert.Equal(result.Source.Guid, result.Target.Guid);
        Assert.Equal(["src/a@3"], result.SourceAfter.Select(s => s.Name.Value));
        Assert.Empty(result.TargetAfter);
        Assert.False(result.IsDiverged);
        Assert.False(result.IsUpToDate);
        Assert.Contains("1 newer snapshot", result.Describe(), StringComparison.Ordinal);
    }

    [Fact]
    public void UpToDateWhenTheNewestSourceSnapshotIsOnTheTarget()
    {
        var result = CommonSnapshot.FindNewest([Snap("a@1", 1, 1), Snap("a@2", 2, 2)], [Snap("b@1", 1, 7), Snap("b@2", 2, 8)]);

        Assert.True(result.IsUpToDate);
        Assert.Empty(result.SourceAfter);
        Assert.Equal("The target is up to date at 2.", result.Describe());
    }

    [Fact]
    public void MatchesByGuidNotByName()
    {
        // Same names, different snapshots: only @1 is really shared.
        ZfsSnapshot[] source = [Snap("a@1", 1, 1), Snap("a@2", 2, 2)];
        ZfsSnapshot[] target = [Snap("b@1", 1, 5), Snap("b@2", 99, 6)];

        var result = CommonSnapshot.FindNewest(source, target);

        Assert.Equal(CommonSnapshotState.TargetAhead, result.State);
        Assert.Equal("a@1", result.Source!.Name.Value);
        Assert.Equal(["b@2"], result.TargetAfter.Select(s => s.Name.Value));
        Assert.Equal(["2"], result.ConflictingNames);
        Assert.True(result.IsDiverged);
    }

    [Fact]
    public void SameNamesAllWithDifferentGuidsShareNothing()
    {
        ZfsSnapshot[] source = [Snap("a@1", 1, 1), Snap("a@2", 2, 2)];
        ZfsSnapshot[] target = [Snap("b@1", 11, 1), Snap("b@2", 12, 2)];

        var result = CommonSnapshot.FindNewest(source, target);

        Assert.Equal(CommonSnapshotState.NoCommonSnapshot, result.State);
        Assert.Null(result.Source);
        Assert.Null(result.Target);
        Assert.Equal(["1", "2"], result.ConflictingNames);
        Assert.Equal(2, result.TargetAfter.Count);
        Assert.Contains("same names, different snapshots: 1, 2", result.Describe(), StringComparison.Ordinal);
    }

    [Fact]
    public void RenamedSnapshotsStillMatchByGuid()
    {
        var result = CommonSnapshot.FindNewest([Snap("a@mt-x-1", 1, 1)], [Snap("b@renamed", 1, 3)]);

        Assert.Equal(CommonSnapshotState.Found, result.State);
        Assert.Equal("b@renamed", result.Target!.Name.Value);
        Assert.Empty(result.ConflictingNames);
    }

    [Fact]
    public void OrderComesFromCreateTxgNotFromTheListsOrder()
    {
        ZfsSnapshot[] source = [Snap("a@3", 3, 30), Snap("a@1", 1, 10), Snap("a@2", 2, 20)];
        ZfsSnapshot[] target = [Snap("b@2", 2, 8), Snap("b@1", 1, 7)];

        var result = CommonSnapshot.FindNewest(source, target);

        Assert.Equal(CommonSnapshotState.Found, result.State);
        Assert.Equal("a@2", result.Source!.Name.Value);
        Assert.Equal(["a@3"], result.SourceAfter.Select(s => s.Name.Value));
    }

    [Fact]
    public void NewestIsTakenInTheSourcesOrderWhenTheTargetsOrderDisagrees()
    {
        ZfsSnapshot[] source = [Snap("a@1", 1, 10), Snap("a@2", 2, 20)];
        ZfsSnapshot[] target = [Snap("b@2", 2, 5), Snap("b@1", 1, 6)];

        var result = CommonSnapshot.FindNewest(source, target);

        Assert.Equal("a@2", result.Source!.Name.Value);
        Assert.Equal(CommonSnapshotState.TargetAhead, result.State);
        Assert.Equal(["b@1"], result.TargetAfter.Select(s => s.Name.Value));
    }

    [Fact]
    public void TargetAheadWhenItHasSnapshotsNewerThanTheCommonOne()
    {
        ZfsSnapshot[] source = [Snap("a@1", 1, 10), Snap("a@2", 2, 20)];
        ZfsSnapshot[] target = [Snap("b@1", 1, 5), Snap("b@2", 2, 6), Snap("b@local", 50, 7), Snap("b@more", 51, 9)];

        var result = CommonSnapshot.FindNewest(source, target);

        Assert.Equal(CommonSnapshotState.TargetAhead, result.State);
        Assert.Equal("a@2", result.Source!.Name.Value);
        Assert.Empty(result.SourceAfter);
        Assert.Equal(["b@local", "b@more"], result.TargetAfter.Select(s => s.Name.Value));
        Assert.False(result.IsUpToDate);
        Assert.Contains("local, more", result.Describe(), StringComparison.Ordinal);
    }

    [Fact]
    public void NoCommonSnapshotWhenTheTargetExistsWithoutAny()
    {
        var result = CommonSnapshot.FindNewest([Snap("a@1", 1, 1)], []);

        Assert.Equal(CommonSnapshotState.NoCommonSnapshot, result.State);
        Assert.True(result.IsDiverged);
        Assert.Empty(result.TargetAfter);
        Assert.Equal(["a@1"], result.SourceAfter.Select(s => s.Name.Value));
    }

    [Fact]
    public void TargetMissingWhenThereIsNoTargetDataset()
    {
        var result = CommonSnapshot.FindNewest([Snap("a@2", 2, 2), Snap("a@1", 1, 1)], null);

        Assert.Equal(CommonSnapshotState.TargetMissing, result.State);
        Assert.False(result.IsDiverged);
        Assert.Equal(["a@1", "a@2"], result.SourceAfter.Select(s => s.Name.Value));
        Assert.Contains("full stream", result.Describe(), StringComparison.Ordinal);
    }

    [Fact]
    public void NoSourceSnapshotsAgainstAnExistingTargetIsNoCommonSnapshot()
    {
        var result = CommonSnapshot.FindNewest([], [Snap("b@1", 1, 1)]);

        Assert.Equal(CommonSnapshotState.NoCommonSnapshot, result.State);
    }

    internal static ZfsSnapshot Snap(string name, ulong guid, ulong txg) =>
        new(SnapshotName.Parse(name), guid, txg, DateTimeOffset.FromUnixTimeSeconds(1795305195), 0, 0, 4096);
}
