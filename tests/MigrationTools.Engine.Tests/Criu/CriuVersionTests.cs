using MigrationTools.Engine.Criu;

namespace MigrationTools.Engine.Tests.Criu;

/// <summary>Reading <c>criu --version</c> and <c>uname -r</c>, and the rule that ties them together.</summary>
public class CriuVersionTests
{
    [Theory]
    [InlineData("Version: 4.2.1\n", 4, 2, 1)]
    [InlineData("Version: 4.2.1\nGitID: v4.2.1-5-gdeadbeef\n", 4, 2, 1)]
    [InlineData("Version: 3.17\n", 3, 17, 0)]
    [InlineData("criu: warning\nVersion:   4.1.1\n", 4, 1, 1)]
    [InlineData("Version: 10.0.12-rc1", 10, 0, 12)]
    public void VersionsAreRead(string output, int major, int minor, int patch)
    {
        Assert.Equal(new CriuVersion(major, minor, patch), CriuVersion.Parse(output));
    }

    [Theory]
    [InlineData("")]
    [InlineData("criu: command not found")]
    [InlineData("Version: four")]
    [InlineData("Version: 4")]
    [InlineData("GitID: v4.2\n")]
    public void OutputWithoutAVersionIsRefusedAndQuoted(string output)
    {
        var error = Assert.Throws<FormatException>(() => CriuVersion.Parse(output));

        Assert.Contains("no \"Version: X.Y\" line", error.Message, StringComparison.Ordinal);
        Assert.False(CriuVersion.TryParse(output, out var version));
        Assert.Null(version);
    }

    [Fact]
    public void VersionsOrderNumerically()
    {
        Assert.True(new CriuVersion(4, 10) > new CriuVersion(4, 2, 9));
        Assert.True(new CriuVersion(4, 2) >= CriuVersion.TcpOnNewKernels);
        Assert.True(new CriuVersion(4, 1, 1) < CriuVersion.TcpOnNewKernels);
        Assert.True(new CriuVersion(4, 2, 1).IsAtLeast(CriuVersion.TcpOnNewKernels));
        Assert.False(new CriuVersion(3, 17, 1).IsAtLeast(CriuVersion.TcpOnNewKernels));
        Assert.True(new CriuVersion(5, 0) <= new CriuVersion(5, 0, 0));
        Assert.Equal("4.2.1", new CriuVersion(4, 2, 1).ToString());
    }

    [Theory]
    [InlineData("6.18.44-fc-v595", 6, 18, 44, true)]
    [InlineData("6.16.0", 6, 16, 0, true)]
    [InlineData("6.15.9-arch1", 6, 15, 9, false)]
    [InlineData("6.1.0-18-amd64", 6, 1, 0, false)]
    [InlineData("5.15", 5, 15, 0, false)]
    [InlineData("7.0.1\n", 7, 0, 1, true)]
    public void KernelReleasesAreRead(string text, int major, int minor, int patch, bool refusesPassCred)
    {
        var kernel = KernelRelease.Parse(text);

        Assert.Equal((major, minor, patch), (kernel.Major, kernel.Minor, kernel.Patch));
        Assert.Equal(text.Trim(), kernel.Text);
        Assert.Equal(refusesPassCred, kernel.RefusesPassCredOnInetSockets);
    }

    [Fact]
    public void AReleaseThatIsNoReleaseIsRefused()
    {
        Assert.Throws<FormatException>(() => KernelRelease.Parse("Linux"));
        Assert.Throws<FormatException>(() => KernelRelease.Parse(""));
    }
}
