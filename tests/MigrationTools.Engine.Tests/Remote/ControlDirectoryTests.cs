using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using MigrationTools.Engine.Remote;

namespace MigrationTools.Engine.Tests.Remote;

[SupportedOSPlatform("linux")]
public sealed class ControlDirectoryTests : IDisposable
{
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("mt-cd-");

    public void Dispose() => _root.Delete(recursive: true);

    [LinuxFact]
    public void CreatesAMissingDirectoryWithMode0700()
    {
        var path = Path.Combine(_root.FullName, "a", "sockets");

        ControlDirectory.EnsurePrivate(path);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(path));
    }

    [LinuxFact]
    public void AcceptsAnExistingPrivateDirectory()
    {
        var path = Path.Combine(_root.FullName, "ok");
        Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        ControlDirectory.EnsurePrivate(path);
        ControlDirectory.EnsurePrivate(path);
    }

    [LinuxFact]
    public void RefusesADirectoryOthersCanReach()
    {
        var path = Path.Combine(_root.FullName, "open");
        Directory.CreateDirectory(path);
        File.SetUnixFileMode(path, (UnixFileMode)Convert.ToInt32("755", 8));

        var error = Assert.Throws<InvalidOperationException>(() => ControlDirectory.EnsurePrivate(path));

        Assert.Contains("mode 0755", error.Message, StringComparison.Ordinal);
        Assert.Contains("chmod 700", error.Message, StringComparison.Ordinal);
        Assert.Equal((UnixFileMode)Convert.ToInt32("755", 8), File.GetUnixFileMode(path));
    }

    [LinuxFact]
    public void RefusesASymbolicLinkEvenToAPrivateDirectory()
    {
        var target = Path.Combine(_root.FullName, "target");
        Directory.CreateDirectory(target, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var link = Path.Combine(_root.FullName, "link");
        File.CreateSymbolicLink(link, target);

        var error = Assert.Throws<InvalidOperationException>(() => ControlDirectory.EnsurePrivate(link));

        Assert.Contains("not a directory", error.Message, StringComparison.Ordinal);
    }

    [LinuxFact(NeedsRoot = true)]
    public async Task RefusesADirectoryOwnedBySomeoneElse()
    {
        var path = Path.Combine(_root.FullName, "theirs");
        Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        Assert.Equal(0, (await ProcessRunner.RunAsync(LocalCommand.Create("chown", "65534:65534", path))).ExitCode);

        var error = Assert.Throws<InvalidOperationException>(() => ControlDirectory.EnsurePrivate(path));

        Assert.Contains("belongs to uid 65534", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RefusesARelativePath()
    {
        Assert.Throws<ArgumentException>(() => ControlDirectory.EnsurePrivate("relative"));
    }

}

/// <summary>A fact that needs Linux (and root, when asked); skipped elsewhere.</summary>
public sealed class LinuxFactAttribute : FactAttribute
{
    public LinuxFactAttribute()
    {
        if (!OperatingSystem.IsLinux())
        {
            Skip = "needs Linux";
        }
    }

    public bool NeedsRoot
    {
        get => false;
        init
        {
            if (value && Skip is null && geteuid() != 0)
            {
                Skip = "needs root";
            }
        }
    }

    [DllImport("libc")]
    private static extern uint geteuid();
}
