using MigrationTools.Engine.Criu;

namespace MigrationTools.Engine.Tests.Criu;

/// <summary>How the method of moving memory is picked from what the hosts can do, and what an operator insisted on.</summary>
public class MemoryTransferChoiceTests
{
    private const string NoUffd = "h2's kernel has no userfaultfd for lazy pages.";
    private const string NoDirtyTracking = "h1's kernel does not track dirty memory.";
    private const string Relayed = "the migration relays its data through the controller.";

    [Fact]
    public void AutoPicksPostCopyWhereBothHostsCanAndPagesGoHostToHost()
    {
        var choice = MemoryTransferChoice.Choose(MemoryTransfer.Auto, null, null, null);

        Assert.Equal(new MemoryTransferChoice(choice.Method, choice.Reason, true, false), choice);
        Assert.Equal(MemoryTransfer.PostCopy, choice.Method);
    }

    [Fact]
    public void AutoFallsBackToPreCopyThenToStopAndCopyAndSaysWhy()
    {
        var preCopy = MemoryTransferChoice.Choose(MemoryTransfer.Auto, NoUffd, null, null);
        var stopAndCopy = MemoryTransferChoice.Choose(MemoryTransfer.Auto, NoUffd, NoDirtyTracking, null);

        Assert.Equal(MemoryTransfer.PreCopy, preCopy.Method);
        Assert.Contains("h2's kernel has no userfaultfd", preCopy.Reason, StringComparison.Ordinal);
        Assert.Equal(MemoryTransfer.StopAndCopy, stopAndCopy.Method);
        Assert.True(stopAndCopy.Streamed);
        Assert.Contains(NoDirtyTracking, stopAndCopy.Reason, StringComparison.Ordinal);
        Assert.Contains("page server", stopAndCopy.Reason, StringComparison.Ordinal);
        Assert.False(preCopy.Refused || stopAndCopy.Refused);
    }

    [Fact]
    public void PagesThatCannotGoHostToHostRuleOutPostCopyAndStreamingButNotStopAndCopy()
    {
        var auto = MemoryTransferChoice.Choose(MemoryTransfer.Auto, null, NoDirtyTracking, Relayed);
        var asked = MemoryTransferChoice.Choose(MemoryTransfer.PostCopy, null, NoDirtyTracking, Relayed);

        Assert.Equal(MemoryTransfer.StopAndCopy, auto.Method);
        Assert.False(auto.Streamed);
        Assert.Contains("in the checkpoint's images", auto.Reason, StringComparison.Ordinal);
        Assert.Contains(Relayed, auto.Reason, StringComparison.Ordinal);
        Assert.True(asked.Refused);
        Assert.Contains(Relayed, asked.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(MemoryTransfer.PostCopy, NoUffd, null)]
    [InlineData(MemoryTransfer.PreCopy, null, NoDirtyTracking)]
    public void AMethodAskedForThatTheHostsCannotDoIsRefusedWithTheirReasonAndTheWayOut(MemoryTransfer asked, string? postCopy, string? preCopy)
    {
        var choice = MemoryTransferChoice.Choose(asked, postCopy, preCopy, null);

        Assert.True(choice.Refused);
        Assert.Equal(asked, choice.Method);
        Assert.Contains(postCopy ?? preCopy!, choice.Reason, StringComparison.Ordinal);
        Assert.Contains("-MemoryTransfer Auto or StopAndCopy", choice.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void PreCopyStreamsItsRoundsToPageServersWherePagesGoHostToHostAndShipsThemOtherwise()
    {
        var streamed = MemoryTransferChoice.Choose(MemoryTransfer.Auto, NoUffd, null, null);
        var relayed = MemoryTransferChoice.Choose(MemoryTransfer.Auto, NoUffd, null, Relayed);
        var asked = MemoryTransferChoice.Choose(MemoryTransfer.PreCopy, null, null, Relayed);

        Assert.Equal((MemoryTransfer.PreCopy, true), (streamed.Method, streamed.Streamed));
        Assert.Contains("mem_dirty_track", streamed.Reason, StringComparison.Ordinal);
        Assert.Contains("streamed to a page server", streamed.Reason, StringComparison.Ordinal);
        Assert.Equal((MemoryTransfer.PreCopy, false), (relayed.Method, relayed.Streamed));
        Assert.Contains("shipped in its images, since " + Relayed, relayed.Reason, StringComparison.Ordinal);
        Assert.Equal((MemoryTransfer.PreCopy, false, false), (asked.Method, asked.Streamed, asked.Refused));
        Assert.StartsWith("Pre-copy, as asked", asked.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void StopAndCopyAskedForIsAlwaysPossible()
    {
        var choice = MemoryTransferChoice.Choose(MemoryTransfer.StopAndCopy, NoUffd, NoDirtyTracking, Relayed);

        Assert.Equal(MemoryTransfer.StopAndCopy, choice.Method);
        Assert.False(choice.Refused);
        Assert.False(choice.Streamed);
    }

    [Fact]
    public void AnUndefinedMethodIsRefusedAsAnArgument() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => MemoryTransferChoice.Choose((MemoryTransfer)42, null, null, null));
}
