using MigrationTools.Engine.Placement;

namespace MigrationTools.Engine.Tests.Placement;

/// <summary>When pre-copy stops its rounds: the dirtied pages no longer shrink, are few, are not counted, or the rounds ran out.</summary>
public class PreCopyConvergenceTests
{
    [Theory]
    [InlineData(new long[] { 1000 })]
    [InlineData(new long[] { 1000, 400 })]
    [InlineData(new long[] { 100_000, 89_999 })]
    [InlineData(new long[] { 5000, 4000, 3000, 2000 })]
    public void RoundsGoOnWhileThePagesShrinkByAtLeastATenth(long[] pages) =>
        Assert.Null(PreCopyConvergence.StopReason(pages));

    [Theory]
    [InlineData(new long[] { 1000, 400, 380 }, "no longer shrink")]
    [InlineData(new long[] { 1000, 900 }, "no longer shrink")]
    [InlineData(new long[] { 1000, 1500 }, "no longer shrink")]
    [InlineData(new long[] { 70_000, 256 }, "few enough")]
    [InlineData(new long[] { 0 }, "few enough")]
    [InlineData(new long[] { 9000, -1 }, "did not say")]
    [InlineData(new long[] { 5000, 4000, 3000, 2000, 1000 }, "the most there are")]
    public void RoundsStopAndSayWhy(long[] pages, string why) =>
        Assert.Contains(why, PreCopyConvergence.StopReason(pages), StringComparison.Ordinal);

    [Fact]
    public void AnUncountedRoundBeforeTheLastIsNoReasonToStop() =>
        Assert.Null(PreCopyConvergence.StopReason([-1, 5000]));
}
