using MigrationTools.Engine.Criu;
using MigrationTools.Engine.Workloads;

namespace MigrationTools.Engine.Tests.Criu;

/// <summary>The exact CRIU command lines, and the values they may carry.</summary>
public class CriuCommandTests
{
    private static readonly WorkloadProcess Process = new(4242, 341611);
    private static readonly CriuImageDirectory Images = CriuImageDirectory.Parse("/run/migrationtools/images/web-0123456789ab");

    [Fact]
    public void ADumpLeavesTheTreeStoppedAndClosesEstablishedConnectionsByDefault()
    {
        Assert.Equal(
            ["criu", "dump", "-t", "4242", "-D", Images.Path, "-o", "dump.log", "-v4", "--leave-stopped", "--tcp-close", "--skip-in-flight"],
            CriuCommands.Dump(new CriuDumpRequest(Process, Images)));
        Assert.Equal(
            ["criu", "restore", "-d", "-D", Images.Path, "-o", "restore.log", "-v4", "--pidfile", Images.Path + "/restore.pid", "--tcp-close"],
            CriuCommands.Restore(new CriuRestoreRequest(Images)));
    }

    [Fact]
    public void APlainDumpWithEveryOptionNamesThemInAFixedOrder()
    {
        var request = new CriuDumpRequest(Process, Images)
        {
            LeaveStopped = false,
            Options = new CriuOptions { TcpEstablished = true, FileLocks = true, External = ["mnt[/data]:data", "net[4026531840]:net"] },
        };

        Assert.Equal(
            ["criu", "dump", "-t", "4242", "-D", Images.Path, "-o", "dump.log", "-v4",
             "--tcp-established", "--skip-in-flight", "--file-locks", "--external=mnt[/data]:data", "--external=net[4026531840]:net"],
            CriuCommands.Dump(request));
    }

    [Fact]
    public void ARestoreDetachesKeepsItsLogWritesAPidFileAndMirrorsTheDumpsOptions()
    {
        var options = new CriuOptions { TcpEstablished = true, External = ["mnt[/data]:data"] };
        var dump = new CriuDump("h1", Process, Images, true, options, 1, TimeSpan.Zero);

        Assert.Equal(
            ["criu", "restore", "-d", "-D", Images.Path, "-o", "restore.log", "-v4", "--pidfile", Images.Path + "/restore.pid",
             "--tcp-established", "--external=mnt[/data]:data"],
            CriuCommands.Restore(CriuRestoreRequest.For(dump)));
        Assert.Equal(
            ["criu", "restore", "-d", "-D", "/dev/shm/mt/x", "-o", "restore.log", "-v4", "--pidfile", "/dev/shm/mt/x/restore.pid", "--tcp-close"],
            CriuCommands.Restore(new CriuRestoreRequest(CriuImageDirectory.Parse("/dev/shm/mt/x"))));
    }

    [Fact]
    public void AnNftablesLockIsNamedToTheDumpOnlySinceTheRestoreTakesItFromTheImages()
    {
        var options = new CriuOptions { TcpEstablished = true, NetworkLock = CriuNetworkLock.Nftables };
        var dump = new CriuDump("h1", Process, Images, true, options, 1, TimeSpan.Zero);

        Assert.Equal(
            ["criu", "dump", "-t", "4242", "-D", Images.Path, "-o", "dump.log", "-v4", "--leave-stopped", "--tcp-established", "--skip-in-flight", "--network-lock", "nftables"],
            CriuCommands.Dump(new CriuDumpRequest(Process, Images) { Options = options }));
        Assert.Equal(
            ["criu", "dump", "-t", "4242", "-D", Images.Path, "-o", "dump.log", "-v4", "--leave-stopped", "--tcp-established"],
            CriuCommands.Dump(new CriuDumpRequest(Process, Images) { Options = new CriuOptions { TcpEstablished = true, SkipInFlight = false } }));
        Assert.Contains("--skip-in-flight", CriuCommands.Dump(new CriuDumpRequest(Process, Images) { Options = options with { TcpEstablished = false } }));
        Assert.DoesNotContain("--tcp-established", CriuCommands.Dump(new CriuDumpRequest(Process, Images) { Options = options with { TcpEstablished = false } }));
        Assert.Equal(
            ["criu", "restore", "-d", "-D", Images.Path, "-o", "restore.log", "-v4", "--pidfile", Images.Path + "/restore.pid", "--tcp-established"],
            CriuCommands.Restore(CriuRestoreRequest.For(dump)));
        Assert.DoesNotContain("--network-lock", CriuCommands.Dump(new CriuDumpRequest(Process, Images) { Options = options with { NetworkLock = CriuNetworkLock.Iptables } }));
        Assert.NotEqual(options, options with { NetworkLock = CriuNetworkLock.Iptables });
    }

    [Fact]
    public void TheHostCommandsWrapTheExactCriuCommandAndPassValuesAsArguments()
    {
        var dump = new CriuDumpRequest(Process, Images) { CarriedFiles = ["/run/mt/web/output.log", "/var/log/web it's.log"] };

        Assert.Equal(
            new[] { "sh", "-c", CriuScripts.Dump, "sh", "4242", "341611", Images.Path, "/run/mt/web/output.log\n/var/log/web it's.log" }
                .Concat(CriuCommands.Dump(dump)),
            Assert.Single(CriuCommands.ScriptedDump(dump).Stages));
        Assert.Equal(
            new[] { "sh", "-c", CriuScripts.Restore, "sh", Images.Path, "" }.Concat(CriuCommands.Restore(new CriuRestoreRequest(Images))),
            Assert.Single(CriuCommands.ScriptedRestore(new CriuRestoreRequest(Images)).Stages));
    }

    [Fact]
    public void ImagesShipAsATarStreamIntoATemporaryDirectory()
    {
        Assert.Equal(["sh", "-c", CriuImageShipment.SendScript, "sh", Images.Path], Assert.Single(CriuImageShipment.SendCommand(Images).Stages));
        Assert.Equal(
            ["sh", "-c", CriuImageShipment.ReceiveScript, "sh", Images.Path, "/run/migrationtools/images"],
            Assert.Single(CriuImageShipment.ReceiveCommand(Images, sudo: false).Stages));
        Assert.Equal(
            ["sudo", "-n", "--", "sh", "-c", CriuImageShipment.ReceiveScript, "sh", Images.Path, "/run/migrationtools/images"],
            Assert.Single(CriuImageShipment.ReceiveCommand(Images, sudo: true).Stages));
    }

    [Theory]
    [InlineData("/run/migrationtools/images/web-1")]
    [InlineData("/dev/shm/mt/web.1_x")]
    [InlineData("/run/a/b")]
    public void ImageDirectoriesOnTmpfsAreAccepted(string path)
    {
        var images = CriuImageDirectory.Parse(path);

        Assert.Equal(path, images.Path);
        Assert.Equal(path + "/dump.log", images.DumpLog);
        Assert.Equal(path[..path.LastIndexOf('/')], images.Parent);
    }

    [Theory]
    [InlineData("/tmp/images")]
    [InlineData("/var/lib/x/images")]
    [InlineData("run/a/b")]
    [InlineData("/run/a")]
    [InlineData("/run/a/b/")]
    [InlineData("/run/a//b")]
    [InlineData("/run/../etc/x")]
    [InlineData("/run/a/..")]
    [InlineData("/run/a/-rf")]
    [InlineData("/run/a/b c")]
    [InlineData("/run/a/$(id)")]
    [InlineData("/run/a/b\nc")]
    [InlineData("/dev/shm/a/it's")]
    [InlineData("")]
    public void OtherImageDirectoriesAreRefused(string path)
    {
        Assert.Throws<ArgumentException>(() => CriuImageDirectory.Parse(path));
    }

    [Fact]
    public void AFreshDirectoryIsMadePerCheckpoint()
    {
        var name = WorkloadName.Parse("web");

        var a = CriuImageDirectory.ForWorkload(name);
        var b = CriuImageDirectory.ForWorkload(name);

        Assert.Matches("^/run/migrationtools/images/web-[0-9a-f]{12}$", a.Path);
        Assert.NotEqual(a, b);
    }

    [Theory]
    [InlineData("")]
    [InlineData("-x")]
    [InlineData("--tcp-close")]
    [InlineData("mnt[/a]:a\n--b")]
    public void ExternalValuesThatCouldBeReadAsOptionsAreRefused(string value)
    {
        Assert.Throws<ArgumentException>(() => new CriuOptions { External = [value] });
    }

    [Fact]
    public void CarriedFilesMustBeAbsolutePathsOnOneLine()
    {
        Assert.Throws<ArgumentException>(() => new CriuDumpRequest(Process, Images) { CarriedFiles = ["relative.log"] });
        Assert.Throws<ArgumentException>(() => new CriuDumpRequest(Process, Images) { CarriedFiles = ["/a\n/b"] });
        Assert.Throws<ArgumentException>(() => new CriuDumpRequest(Process, Images) { CarriedFiles = ["/"] });
    }

    [Fact]
    public void OptionsAndRequestsCompareByValue()
    {
        Assert.Equal(new CriuOptions { External = ["a"] }, new CriuOptions { External = ["a"] });
        Assert.NotEqual(new CriuOptions { External = ["a"] }, new CriuOptions { External = ["b"] });
        Assert.Equal(
            new CriuDumpRequest(Process, Images) { CarriedFiles = ["/a"] },
            new CriuDumpRequest(Process, Images) { CarriedFiles = ["/a"] });
    }
}
