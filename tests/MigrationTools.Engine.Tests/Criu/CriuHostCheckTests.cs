using System.Text;
using MigrationTools.Engine.Criu;
using MigrationTools.Engine.Preflight;

namespace MigrationTools.Engine.Tests.Criu;

/// <summary>Turning one host's CRIU findings into preflight checks.</summary>
public class CriuHostCheckTests
{
    // This machine's root: every capability but CAP_SYS_RESOURCE (bit 24).
    private const string WithoutSysResource = "000001fffeffffff";

    private static string Output(
        string kernel, string version, int check = 0, int preDump = 1, string checkText = "Looks good.",
        int postCopy = 0, string pipeMax = "4194304", string capabilities = WithoutSysResource) =>
        $"kernel {kernel}\n" +
        $"version 0 {B64(version)}\n" +
        $"check {check} {B64(checkText)}\n" +
        $"predump {preDump} {B64("Warn  (criu/cr-check.c:824): Dirty tracking is OFF. Memory snapshot will not work.")}\n" +
        $"postcopy {postCopy} {B64(postCopy == 0 ? "uffd-noncoop is supported" : "Error (criu/cr-check.c:1190): UFFD is not supported")}\n" +
        $"pipemax {pipeMax}\n" +
        $"capeff {capabilities}\n";

    [Fact]
    public void Criu42OnANewKernelPassesWithoutPreDump()
    {
        var host = CriuHostCheck.Parse("h1", Output("6.18.44-fc-v595", "Version: 4.2.1\nGitID: v4.2.1\n"));

        Assert.Equal(new CriuVersion(4, 2, 1), host.Version);
        Assert.Equal("6.18.44-fc-v595", host.Kernel!.Text);
        Assert.True(host.CheckPassed);
        Assert.False(host.CanPreDump);
        Assert.True(host.Passed);
        Assert.Equal(["CriuVersion", "CriuCheck", "CriuPreDump", "CriuPostCopy"], host.Checks.Select(c => c.Name));
        Assert.All(host.Checks, c => Assert.Equal("h1", c.Target));
        Assert.Contains("mem_dirty_track is unavailable", host.Checks[2].Message, StringComparison.Ordinal);
        Assert.Equal("criu check: Looks good.", host.Checks[1].Message);
    }

    [Fact]
    public void Criu41FailsOnKernelsThatRefuseSoPassCredButNotOnOlderOnes()
    {
        var newKernel = CriuHostCheck.Parse("h1", Output("6.16.2", "Version: 4.1.1\n"));
        var oldKernel = CriuHostCheck.Parse("h1", Output("6.1.0-18-amd64", "Version: 4.1.1\n"));

        Assert.False(newKernel.Passed);
        var failure = Assert.Single(newKernel.Checks, c => !c.Passed);
        Assert.Equal("CriuVersion", failure.Name);
        Assert.Contains("install CRIU 4.2.0 or later", failure.Message, StringComparison.Ordinal);
        Assert.True(oldKernel.Passed);
    }

    [Fact]
    public void AFailedCriuCheckFailsWithWhatItSaid()
    {
        var host = CriuHostCheck.Parse("h1", Output("6.18.1", "Version: 4.2.1", check: 1, checkText: "Error (criu/cr-check.c:1): seccomp is not supported"));

        Assert.False(host.CheckPassed);
        var failure = Assert.Single(host.Checks, c => !c.Passed);
        Assert.Equal("CriuCheck", failure.Name);
        Assert.Contains("seccomp is not supported", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PreDumpIsReportedWhenTheKernelTracksDirtyPages()
    {
        var host = CriuHostCheck.Parse("h1", Output("6.1.0", "Version: 4.2.1", preDump: 0));

        Assert.True(host.CanPreDump);
        Assert.Contains("can be pre-copied", host.Checks[2].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AMissingCriuFailsTheVersionCheckAlone()
    {
        var host = CriuHostCheck.Parse("h1", "kernel 6.18.1\nmissing\n");

        var check = Assert.Single(host.Checks);
        Assert.False(check.Passed);
        Assert.Contains("not installed", check.Message, StringComparison.Ordinal);
        Assert.Null(host.Version);
    }

    [Fact]
    public void AnUnrecognisedVersionFails()
    {
        var host = CriuHostCheck.Parse("h1", $"kernel 6.18.1\nversion 0 {B64("criu from the future")}\ncheck 0 \npredump 1 \n");

        Assert.False(host.Checks[0].Passed);
        Assert.Contains("criu from the future", host.Checks[0].Message, StringComparison.Ordinal);
        Assert.True(host.CheckPassed);
    }

    [Fact]
    public void APreflightCombinesBothHostsAndTheCpus()
    {
        var source = CriuHostCheck.Parse("h1", Output("6.18.1", "Version: 4.2.1"));
        var target = CriuHostCheck.Parse("h2", Output("6.18.1", "Version: 4.1.1"));

        var unverified = new CriuPreflight(source, source, new CpuCompatibility("h1", "h2", false, true, "Not verified"));
        var mismatch = new CriuPreflight(source, target, new CpuCompatibility("h1", "h2", true, false, "lacks avx512"));

        Assert.True(unverified.Passed);
        Assert.Equal("h1 -> h2", unverified.Checks[^1].Target);
        Assert.False(mismatch.Passed);
        Assert.Equal(["CriuVersion", "CriuCpuCompatible"], new PreflightReport(mismatch.Checks).Failures.Select(c => c.Name));
    }

    [Fact]
    public void PostCopyNeedsABigEnoughPipeWhenRootLacksCapSysResource()
    {
        var raised = CriuHostCheck.Parse("h1", Output("6.18.1", "Version: 4.2.1"));
        var small = CriuHostCheck.Parse("h1", Output("6.18.1", "Version: 4.2.1", pipeMax: "1048576"));
        var privileged = CriuHostCheck.Parse("h1", Output("6.18.1", "Version: 4.2.1", pipeMax: "1048576", capabilities: "000001ffffffffff"));
        var unreadable = CriuHostCheck.Parse("h1", Output("6.18.1", "Version: 4.2.1", pipeMax: "-"));

        Assert.True(raised.CanPostCopy);
        Assert.Null(raised.PostCopyBlock);
        Assert.Contains("fs.pipe-max-size is 4194304", raised.Checks[3].Message, StringComparison.Ordinal);
        Assert.False(small.CanPostCopy);
        Assert.Equal(
            "h1 cannot serve lazy pages: its root lacks CAP_SYS_RESOURCE and fs.pipe-max-size is 1048576, below the 4194304 bytes " +
            "CRIU's page server needs; raise it with sysctl fs.pipe-max-size=4194304.",
            small.PostCopyBlock);
        Assert.True(privileged.CanPostCopy);
        Assert.Contains("CAP_SYS_RESOURCE", privileged.Checks[3].Message, StringComparison.Ordinal);
        Assert.False(unreadable.CanPostCopy);
        Assert.Contains("sysctl fs.pipe-max-size=4194304", unreadable.PostCopyBlock, StringComparison.Ordinal);
        // Informational: a host that cannot post-copy still passes its preflight.
        Assert.All(new[] { raised, small, privileged, unreadable }, h => Assert.True(h.Passed));
        Assert.Equal("CriuPostCopy", small.Checks[3].Name);
        Assert.StartsWith("No post-copy: h1 cannot serve lazy pages", small.Checks[3].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PostCopyNeedsUserfaultfd()
    {
        var host = CriuHostCheck.Parse("h2", Output("5.4.0", "Version: 4.2.1", postCopy: 1, capabilities: "000001ffffffffff"));

        Assert.False(host.CanPostCopy);
        Assert.Equal(
            "h2's kernel has no userfaultfd for lazy pages (criu check --feature uffd-noncoop failed: Error (criu/cr-check.c:1190): UFFD is not supported).",
            host.PostCopyBlock);
    }

    [Fact]
    public void AnOlderCheckWithoutThePostCopyLinesBlocksPostCopyAndAMissingCriuBlocksBoth()
    {
        var old = CriuHostCheck.Parse("h1", $"kernel 6.18.1\nversion 0 {B64("Version: 4.2.1")}\ncheck 0 \npredump 1 \n");
        var missing = CriuHostCheck.Parse("h1", "kernel 6.18.1\nmissing\n");

        Assert.Contains("could not be checked", old.PostCopyBlock, StringComparison.Ordinal);
        Assert.Equal("h1 has no CRIU.", missing.PostCopyBlock);
        Assert.Equal("h1 has no usable CRIU.", missing.PreCopyBlock);
        Assert.Contains("mem_dirty_track", old.PreCopyBlock, StringComparison.Ordinal);
    }

    [Fact]
    public void APreflightNamesEachHostThatBlocksAMethod()
    {
        var able = CriuHostCheck.Parse("h1", Output("6.18.1", "Version: 4.2.1", preDump: 0));
        var small = CriuHostCheck.Parse("h2", Output("6.18.1", "Version: 4.2.1", preDump: 0, pipeMax: "1048576"));
        var cpu = new CpuCompatibility("h1", "h2", true, true, "same");

        var both = new CriuPreflight(able, able, cpu);
        var one = new CriuPreflight(able, small, cpu);
        var neither = new CriuPreflight(small, CriuHostCheck.Parse("h3", Output("6.18.1", "Version: 4.2.1", postCopy: 1)), cpu);

        Assert.Null(both.PostCopyBlock);
        Assert.Null(both.PreCopyBlock);
        Assert.Equal(small.PostCopyBlock, one.PostCopyBlock);
        Assert.Null(one.PreCopyBlock);
        // Only the source pre-dumps: a destination without dirty-page tracking takes the rounds all the same.
        Assert.Null(neither.PreCopyBlock);
        Assert.Equal(
            "h3's kernel does not track dirty memory (criu check --feature mem_dirty_track failed).",
            new CriuPreflight(neither.Target, neither.Source, cpu).PreCopyBlock);
        Assert.StartsWith("h2 cannot serve lazy pages", neither.PostCopyBlock, StringComparison.Ordinal);
        Assert.Contains(" h3's kernel has no userfaultfd", neither.PostCopyBlock, StringComparison.Ordinal);
        Assert.Equal(MemoryTransfer.PreCopy, MemoryTransferChoice.Choose(MemoryTransfer.Auto, one.PostCopyBlock, one.PreCopyBlock).Method);
        Assert.Equal(MemoryTransfer.PostCopy, MemoryTransferChoice.Choose(MemoryTransfer.Auto, both.PostCopyBlock, both.PreCopyBlock).Method);
    }

    private static string B64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));
}
