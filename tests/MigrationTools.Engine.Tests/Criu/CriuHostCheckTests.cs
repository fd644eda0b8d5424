using System.Text;
using MigrationTools.Engine.Criu;
using MigrationTools.Engine.Preflight;

namespace MigrationTools.Engine.Tests.Criu;

/// <summary>Turning one host's CRIU findings into preflight checks.</summary>
public class CriuHostCheckTests
{
    private static string Output(string kernel, string version, int check = 0, int preDump = 1, string checkText = "Looks good.") =>
        $"kernel {kernel}\n" +
        $"version 0 {B64(version)}\n" +
        $"check {check} {B64(checkText)}\n" +
        $"predump {preDump} {B64("Warn  (criu/cr-check.c:824): Dirty tracking is OFF. Memory snapshot will not work.")}\n";

    [Fact]
    public void Criu42OnANewKernelPassesWithoutPreDump()
    {
        var host = CriuHostCheck.Parse("h1", Output("6.18.44-fc-v595", "Version: 4.2.1\nGitID: v4.2.1\n"));

        Assert.Equal(new CriuVersion(4, 2, 1), host.Version);
        Assert.Equal("6.18.44-fc-v595", host.Kernel!.Text);
        Assert.True(host.CheckPassed);
        Assert.False(host.CanPreDump);
        Assert.True(host.Passed);
        Assert.Equal(["CriuVersion", "CriuCheck", "CriuPreDump"], host.Checks.Select(c => c.Name));
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

    private static string B64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));
}
