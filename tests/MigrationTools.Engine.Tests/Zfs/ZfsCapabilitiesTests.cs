using MigrationTools.Engine.Zfs;

namespace MigrationTools.Engine.Tests.Zfs;

public class ZfsCapabilitiesTests
{
    private static ZfsCapabilities Legacy() =>
        ZfsCapabilities.Parse(ZfsTestData.Read("zfs-fuse-usage.txt"), ZfsTestData.Read("zfs-fuse-get.txt"));

    private static ZfsCapabilities Modern() =>
        ZfsCapabilities.Parse(ZfsTestData.Read("openzfs-2.2-usage.txt"), ZfsTestData.Read("openzfs-2.2-get-excerpt.txt"));

    [Fact]
    public void ZfsFuseIsLegacyWithTheOldSendAndReceiveOptions()
    {
        var legacy = Legacy();

        Assert.True(legacy.IsLegacy);
        Assert.Equal("DIRip", legacy.SendOptions);
        Assert.Equal("Fdnv", legacy.ReceiveOptions);
        Assert.False(legacy.CanEstimateSendSize);
        Assert.False(legacy.CanSendCompressed);
        Assert.False(legacy.CanSendLargeBlocks);
        Assert.False(legacy.CanSendEmbedded);
        Assert.False(legacy.CanResumeSend);
        Assert.False(legacy.CanReceiveResumable);
        Assert.False(legacy.CanReceiveUnmounted);
        Assert.False(legacy.CanAbortResumableReceive);
        Assert.False(legacy.HasBookmarks);
    }

    [Fact]
    public void ZfsFuseListsHoldsButCannotListThem()
    {
        var legacy = Legacy();

        Assert.Contains("hold", legacy.Commands);
        Assert.Contains("holds", legacy.Commands);
        Assert.Contains("release", legacy.Commands);
        Assert.Equal("r", legacy.Options("holds"));
        Assert.False(legacy.CanListHolds);
    }

    [Fact]
    public void ZfsFuseHasNoResumeTokenOrWrittenPropertyButHasUserRefs()
    {
        var legacy = Legacy();

        Assert.False(legacy.HasResumeTokenProperty);
        Assert.False(legacy.HasWrittenProperty);
        Assert.True(legacy.HasProperty("userrefs"));
        Assert.True(legacy.HasProperty("readonly"));
        Assert.True(legacy.HasProperty("usedbyrefreservation"));
        Assert.False(legacy.HasProperty("userused@..."));
        Assert.False(legacy.HasProperty("PROPERTY"));
    }

    [Fact]
    public void ZfsFuseOtherCommandsParseWithTheirContinuationLines()
    {
        var legacy = Legacy();

        Assert.Equal("HSdorst", legacy.Options("list"));
        Assert.Equal("Hdoprs", legacy.Options("get"));
        Assert.Equal("Oaov", legacy.Options("mount"));
        Assert.Equal("af", legacy.Options("unmount"));
        Assert.Equal("Rdfr", legacy.Options("destroy"));
        Assert.Equal("", legacy.Options("promote"));
        Assert.Equal("", legacy.Options("no-such-command"));
    }

    [Fact]
    public void OpenZfs22IsModernWithEveryStreamFeature()
    {
        var modern = Modern();

        Assert.False(modern.IsLegacy);
        Assert.True(modern.CanEstimateSendSize);
        Assert.True(modern.CanSendCompressed);
        Assert.True(modern.CanSendLargeBlocks);
        Assert.True(modern.CanSendEmbedded);
        Assert.True(modern.CanResumeSend);
        Assert.True(modern.CanReceiveResumable);
        Assert.True(modern.CanReceiveUnmounted);
        Assert.True(modern.CanAbortResumableReceive);
        Assert.True(modern.HasBookmarks);
        Assert.True(modern.CanListHolds);
        Assert.True(modern.HasResumeTokenProperty);
        Assert.True(modern.HasWrittenProperty);
    }

    [Fact]
    public void OpenZfs22OptionsIncludeEveryFormOfTheirUsageLines()
    {
        var modern = Modern();

        // [-DLPbcehnpsVvw] [-i|-I snapshot] [-R [-X dataset...]], -t <token>; "--redact" and "--saved" are not letters.
        Assert.Equal("DILPRVXbcehinpstvw", modern.SendOptions);

        // [-vMnsFhu] [-o ...] [-x ...] on two lines each, [-d | -e], and "receive -A".
        Assert.Equal("AFMdehnosuvx", modern.ReceiveOptions);
        Assert.Equal("Hpr", modern.Options("holds"));
    }

    [Fact]
    public void HyphenatedCommandNamesAreCommandsNotOptions()
    {
        var modern = Modern();

        Assert.Contains("load-key", modern.Commands);
        Assert.Contains("change-key", modern.Commands);
        Assert.Equal("Lanr", modern.Options("load-key"));
    }

    [Fact]
    public void ParsingTheSameTextTwiceGivesEqualCapabilities()
    {
        Assert.Equal(Legacy(), Legacy());
        Assert.Equal(Modern(), Modern());
        Assert.NotEqual(Legacy(), Modern());
    }

    [Fact]
    public void TextWithoutSendOrReceiveIsRefused()
    {
        var error = Assert.Throws<FormatException>(() => ZfsCapabilities.Parse("bash: zfs: command not found\n", ""));

        Assert.Contains("send", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DescriptionNamesTheFlavour()
    {
        Assert.StartsWith("legacy zfs (send -DIRip", Legacy().ToString(), StringComparison.Ordinal);
        Assert.StartsWith("OpenZFS (send -", Modern().ToString(), StringComparison.Ordinal);
    }
}
