using System.Net;
using MigrationTools.Engine.Criu;
using MigrationTools.Engine.Workloads;

namespace MigrationTools.Engine.Tests.Criu;

/// <summary>The exact command lines of streamed dumps, post-copy and pre-copy, and the values they may carry.</summary>
public class CriuMemoryTransferCommandTests
{
    private static readonly WorkloadProcess Process = new(4242, 341611);
    private static readonly CriuImageDirectory Images = CriuImageDirectory.Parse("/run/migrationtools/images/web-0123456789ab");
    private static readonly IPAddress Source = IPAddress.Parse("10.0.111.1");
    private static readonly IPAddress Destination = IPAddress.Parse("10.0.111.2");

    [Fact]
    public void AStreamedDumpSendsItsPagesToThePageServer()
    {
        var request = new CriuDumpRequest(Process, Images) { PageServer = new CriuPageServer(Destination, 40123) };

        Assert.Equal(
            ["criu", "dump", "-t", "4242", "-D", Images.Path, "-o", "dump.log", "-v4", "--leave-stopped",
             "--page-server", "--address", "10.0.111.2", "--port", "40123", "--tcp-close", "--skip-in-flight"],
            CriuCommands.Dump(request));
        Assert.Equal(
            ["criu", "page-server", "-D", Images.Path, "--address", "10.0.111.2", "-o", "page-server.log", "-v4", "--status-fd", "3"],
            CriuCommands.PageServer(Images, Destination));
        Assert.NotEqual(new CriuDumpRequest(Process, Images), request);
        Assert.Equal(request with { }, request);
    }

    [Fact]
    public void APostCopyDumpServesItsPagesOnAPortCriuPicks()
    {
        var request = new CriuDumpRequest(Process, Images) { LeaveStopped = false };

        Assert.Equal(
            ["criu", "dump", "-t", "4242", "-D", Images.Path, "-o", "dump.log", "-v4", "--tcp-close", "--skip-in-flight",
             "--lazy-pages", "--address", "10.0.111.1", "--status-fd", "3"],
            CriuCommands.LazyDump(request, Source));
        Assert.Contains("--leave-stopped", CriuCommands.LazyDump(new CriuDumpRequest(Process, Images), Source));
        Assert.Throws<ArgumentException>(() =>
            CriuCommands.LazyDump(request with { PageServer = new CriuPageServer(Destination, 1) }, Source));
        Assert.Throws<ArgumentException>(() => CriuCommands.LazyDump(request, IPAddress.Any));
        Assert.Throws<ArgumentException>(() => CriuCommands.PageServer(Images, IPAddress.IPv6Any));
    }

    [Fact]
    public void TheDestinationPullsThePagesWithALazyPagesDaemonAndALazyRestore()
    {
        var source = new CriuPageServer(IPAddress.Parse("fd00::1"), 35289);

        Assert.Equal(
            ["criu", "lazy-pages", "--page-server", "--address", "fd00::1", "--port", "35289", "-D", Images.Path,
             "-o", "lazy-pages.log", "-v4", "--status-fd", "3"],
            CriuCommands.LazyPages(Images, source));
        Assert.Equal(
            ["criu", "restore", "-d", "-D", Images.Path, "-o", "restore.log", "-v4", "--pidfile", Images.Path + "/restore.pid", "--tcp-close", "--lazy-pages"],
            CriuCommands.LazyRestore(new CriuRestoreRequest(Images)));
        Assert.Equal("[fd00::1]:35289", source.ToString());
        Assert.Equal("10.0.111.2:80", new CriuPageServer(Destination, 80).ToString());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(65536)]
    public void APageServerPortIsFrom1To65535(int port) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new CriuPageServer(Destination, port));

    [Fact]
    public void PreCopyRoundsTrackMemoryAndTheFinalDumpWritesOnlyWhatChangedSince()
    {
        var first = new CriuPreDumpRequest(Process, CriuImageDirectory.Parse("/run/migrationtools/images/web-1/pre-1"));
        var second = new CriuPreDumpRequest(Process, CriuImageDirectory.Parse("/run/migrationtools/images/web-1/pre-2")) { PreviousImages = "../pre-1" };

        Assert.Equal(
            ["criu", "pre-dump", "-t", "4242", "-D", "/run/migrationtools/images/web-1/pre-1", "--track-mem",
             "-o", "pre-dump.log", "-v4", "--display-stats", "--tcp-close"],
            CriuCommands.PreDump(first));
        Assert.Equal(
            ["criu", "pre-dump", "-t", "4242", "-D", "/run/migrationtools/images/web-1/pre-2", "--track-mem", "--prev-images-dir", "../pre-1",
             "-o", "pre-dump.log", "-v4", "--display-stats", "--tcp-close"],
            CriuCommands.PreDump(second));
        Assert.Equal(
            ["criu", "dump", "-t", "4242", "-D", Images.Path, "-o", "dump.log", "-v4", "--leave-stopped",
             "--track-mem", "--prev-images-dir", "../pre-2", "--tcp-close", "--skip-in-flight"],
            CriuCommands.Dump(new CriuDumpRequest(Process, Images) { PreviousImages = "../pre-2" }));
    }

    [Theory]
    [InlineData("/run/x")]
    [InlineData("")]
    [InlineData("../pre 1")]
    [InlineData("./pre-1")]
    [InlineData("../-pre")]
    [InlineData("pre-1/")]
    [InlineData("../pre;rm")]
    public void PreviousImagesAreARelativePathOfPlainComponents(string path)
    {
        Assert.Throws<ArgumentException>(() => new CriuDumpRequest(Process, Images) { PreviousImages = path });
        Assert.Throws<ArgumentException>(() => new CriuPreDumpRequest(Process, Images) { PreviousImages = path });
    }

    [Fact]
    public void TheHostCommandsWrapTheCriuCommandsAndPassValuesAsArguments()
    {
        var dump = new CriuDumpRequest(Process, Images) { CarriedFiles = ["/run/mt/web/output.log", "/var/log/web it's.log"] };
        var seconds = ((int)CriuCommands.ReadyLimit.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);

        Assert.Equal(
            new[] { "sh", "-c", CriuDetachedScripts.StartLazyDump, "sh", "4242", "341611", Images.Path, "/run/mt/web/output.log\n/var/log/web it's.log", seconds }
                .Concat(CriuCommands.LazyDump(dump, Source)),
            CriuCommands.StartLazyDump(dump, Source).Stages[0]);
        Assert.Equal(
            new[] { "sh", "-c", CriuDetachedScripts.StartPageServer, "sh", Images.Path, seconds }.Concat(CriuCommands.PageServer(Images, Destination)),
            CriuCommands.StartPageServer(Images, Destination).Stages[0]);
        var source = new CriuPageServer(Source, 35289);
        Assert.Equal(
            new[] { "sh", "-c", CriuDetachedScripts.StartLazyPages, "sh", Images.Path, seconds }.Concat(CriuCommands.LazyPages(Images, source)),
            CriuCommands.StartLazyPages(Images, source).Stages[0]);
        Assert.Equal(
            new[] { "sh", "-c", CriuScripts.Restore, "sh", Images.Path, "/run/mt/web/pid" }
                .Concat(CriuCommands.LazyRestore(new CriuRestoreRequest(Images) { RecordFile = "/run/mt/web/pid" })),
            CriuCommands.ScriptedLazyRestore(new CriuRestoreRequest(Images) { RecordFile = "/run/mt/web/pid" }).Stages[0]);
        Assert.Equal(
            ["sh", "-c", CriuDetachedScripts.Outcome, "sh", Images.Path, "lazy-dump", "3"],
            CriuCommands.DetachedOutcome(Images, CriuDetachedScripts.LazyDump, TimeSpan.FromSeconds(2.5)).Stages[0]);
        Assert.Equal(
            ["sh", "-c", CriuDetachedScripts.Outcome, "sh", Images.Path, "page-server", "0"],
            CriuCommands.DetachedOutcome(Images, CriuDetachedScripts.PageServer, TimeSpan.FromSeconds(-1)).Stages[0]);
        Assert.Equal(
            ["sh", "-c", CriuDetachedScripts.Stop, "sh", Images.Path, "lazy-pages"],
            CriuCommands.StopDetached(Images, CriuDetachedScripts.LazyPages).Stages[0]);
        Assert.Throws<ArgumentOutOfRangeException>(() => CriuCommands.StopDetached(Images, "../../etc"));
        var preDump = new CriuPreDumpRequest(Process, Images);
        Assert.Equal(
            new[] { "sh", "-c", CriuScripts.PreDump, "sh", "4242", "341611", Images.Path }.Concat(CriuCommands.PreDump(preDump)),
            CriuCommands.ScriptedPreDump(preDump).Stages[0]);
    }

    [Fact]
    public void ChainedRoundsSendTheirPagesToAPageServerThatLinksThePreviousRound()
    {
        var round = CriuImageDirectory.Parse("/run/migrationtools/images/web-1.pre-2");
        var request = new CriuPreDumpRequest(Process, round) { PreviousImages = "../web-1.pre-1", PageServer = new CriuPageServer(Destination, 40123) };
        var seconds = ((int)CriuCommands.ReadyLimit.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);

        Assert.Equal(
            ["criu", "pre-dump", "-t", "4242", "-D", round.Path, "--track-mem", "--prev-images-dir", "../web-1.pre-1",
             "--page-server", "--address", "10.0.111.2", "--port", "40123", "-o", "pre-dump.log", "-v4", "--display-stats", "--tcp-close"],
            CriuCommands.PreDump(request));
        Assert.Equal(
            ["criu", "page-server", "-D", round.Path, "--address", "10.0.111.2", "--prev-images-dir", "../web-1.pre-1",
             "-o", "page-server.log", "-v4", "--status-fd", "3"],
            CriuCommands.PageServer(round, Destination, "../web-1.pre-1"));
        Assert.Equal(
            new[] { "sh", "-c", CriuDetachedScripts.StartPageServer, "sh", round.Path, seconds }.Concat(CriuCommands.PageServer(round, Destination, "../web-1.pre-1")),
            CriuCommands.StartPageServer(round, Destination, "../web-1.pre-1").Stages[0]);
        Assert.Throws<ArgumentException>(() => CriuCommands.PageServer(round, Destination, "/run/elsewhere"));
        Assert.Throws<ArgumentException>(() => CriuCommands.PageServer(round, Destination, "../x;reboot"));
    }

    [Fact]
    public void ARoundsDirectoryIsASiblingOfTheCheckpointAndTheChainNamesItRelatively()
    {
        Assert.Equal("/run/migrationtools/images/web-0123456789ab.pre-3", Images.PreCopyRound(3).Path);
        Assert.Equal("../web-0123456789ab.pre-3", Images.PreCopyRoundLink(3));
        Assert.Throws<ArgumentOutOfRangeException>(() => Images.PreCopyRound(0));
        Assert.Equal(
            ["sh", "-c", CriuScripts.RemovePreCopyRounds, "sh", Images.Path],
            CriuCommands.RemovePreCopyRounds(Images).Stages[0]);
    }

    [Fact]
    public void ADetachedOperationsOutcomeSaysHowItEnded()
    {
        Assert.Equal(CriuTransferState.Finished, CriuHost.ParseOutcome("lazy-dump", "finished 0\n", "").State);
        Assert.Equal(CriuTransferState.Running, CriuHost.ParseOutcome("lazy-dump", "running\n", "").State);
        Assert.Equal(CriuTransferState.Missing, CriuHost.ParseOutcome("lazy-pages", "missing\n", "").State);
        var failed = CriuHost.ParseOutcome("lazy-dump", "finished 1\n", "Error (criu/cr-dump.c:1883): Lazy pages transfer FAILED.");
        Assert.Equal(CriuTransferState.Failed, failed.State);
        Assert.Equal("criu lazy-dump ended with exit status 1. From its log:\nError (criu/cr-dump.c:1883): Lazy pages transfer FAILED.", failed.Detail);
        var vanished = CriuHost.ParseOutcome("page-server", "vanished\n", "");
        Assert.Equal(CriuTransferState.Failed, vanished.State);
        Assert.Contains("without recording an exit status", vanished.Detail, StringComparison.Ordinal);
        Assert.Equal(CriuTransferState.Failed, CriuHost.ParseOutcome("page-server", "garbage", "").State);
    }
}
