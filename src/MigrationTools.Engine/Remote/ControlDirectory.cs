using System;
using System.Globalization;
using System.IO;
using System.Runtime.InteropServices;

namespace MigrationTools.Engine.Remote;

/// <summary>
/// The directory holding ssh control sockets. Anyone who can reach a control socket can run commands
/// over its authenticated connection, so the directory must be private: a directory, not a link, owned
/// by the current user, with no access for group or others.
/// </summary>
internal static class ControlDirectory
{
    /// <summary>Linux is the only system whose directory ownership and mode the engine can verify.</summary>
    public static bool IsSupported => RuntimeInformation.IsOSPlatform(OSPlatform.Linux);

    /// <summary>The default: <c>$XDG_RUNTIME_DIR/mt-ssh</c> (already private per user), else <c>/tmp/mt-ssh-UID</c>.</summary>
    public static string DefaultPath()
    {
        var runtime = Environment.GetEnvironmentVariable("XDG_RUNTIME_DIR");
        if (!string.IsNullOrEmpty(runtime) && Path.IsPathRooted(runtime) && Directory.Exists(runtime))
        {
            return Path.Combine(runtime, "mt-ssh");
        }

        return "/tmp/mt-ssh-" + UnixNative.geteuid().ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>Creates <paramref name="path"/> with mode 0700 if it is missing, then verifies it is private.</summary>
    /// <exception cref="InvalidOperationException">The directory exists but is not private, or cannot be created.</exception>
    public static void EnsurePrivate(string path)
    {
        if (!Path.IsPathRooted(path))
        {
            throw new ArgumentException(
                $"The control directory {SafeText.Show(path)} is relative; give an absolute path.", nameof(path));
        }

        if (Stat(path) is null)
        {
            var parent = Path.GetDirectoryName(path);
            if (!string.IsNullOrEmpty(parent))
            {
                Directory.CreateDirectory(parent);
            }

            if (UnixNative.mkdir(UnixNative.PathBytes(path), Convert.ToUInt32("700", 8)) != 0)
            {
                var error = Marshal.GetLastWin32Error();
                if (error != UnixNative.EExist)
                {
                    throw new InvalidOperationException(
                        $"Could not create the ssh control directory {SafeText.Show(path)} (errno {error}); create it with mode 0700 or set SshOptions.ControlDirectory.");
                }
            }
            else if (UnixNative.chmod(UnixNative.PathBytes(path), Convert.ToUInt32("700", 8)) != 0)
            {
                // mkdir's mode was narrowed by the umask at most, never widened; chmod makes it exact.
                throw new InvalidOperationException(
                    $"Could not set mode 0700 on the ssh control directory {SafeText.Show(path)} (errno {Marshal.GetLastWin32Error()}).");
            }
        }

        Verify(path);
    }

    /// <summary>Refuses <paramref name="path"/> unless it is a directory owned by the current user with mode 0700 or narrower.</summary>
    public static void Verify(string path)
    {
        var status = Stat(path) ?? throw new InvalidOperationException(
            $"The ssh control directory {SafeText.Show(path)} disappeared while being set up; try again.");
        var me = UnixNative.geteuid();
        if ((status.Mode & UnixNative.FileTypeMask) != UnixNative.DirectoryType)
        {
            throw new InvalidOperationException(
                $"The ssh control path {SafeText.Show(path)} exists but is not a directory (a symbolic link is refused too); " +
                "remove it or set SshOptions.ControlDirectory to a private directory of your own.");
        }

        if (status.Uid != me)
        {
            throw new InvalidOperationException(
                $"The ssh control directory {SafeText.Show(path)} belongs to uid {status.Uid}, not to you (uid {me}): its owner could use " +
                "your ssh connections through it. Remove it or set SshOptions.ControlDirectory to a private directory of your own.");
        }

        var permissions = status.Mode & Convert.ToInt32("777", 8);
        if ((permissions & Convert.ToInt32("077", 8)) != 0)
        {
            var octal = Convert.ToString(permissions, 8).PadLeft(4, '0');
            throw new InvalidOperationException(
                $"The ssh control directory {SafeText.Show(path)} has mode {octal}, so other users can reach its sockets and use " +
                $"your ssh connections. Run: chmod 700 '{path}' (or set SshOptions.ControlDirectory to a private directory).");
        }
    }

    private static (uint Uid, int Mode)? Stat(string path)
    {
        var buffer = new byte[UnixNative.StatxBufferSize];
        int result;
        try
        {
            result = UnixNative.statx(
                UnixNative.AtFdCwd, UnixNative.PathBytes(path), UnixNative.AtSymlinkNoFollow,
                UnixNative.StatxType | UnixNative.StatxMode | UnixNative.StatxUid | UnixNative.StatxGid, buffer);
        }
        catch (EntryPointNotFoundException error)
        {
            throw new PlatformNotSupportedException(
                "This C library has no statx, so the ssh control directory cannot be verified; set SshOptions.Multiplexing to false.", error);
        }

        if (result != 0)
        {
            var error = Marshal.GetLastWin32Error();
            if (error == UnixNative.ENoEnt)
            {
                return null;
            }

            throw new InvalidOperationException(
                $"Could not inspect the ssh control directory {SafeText.Show(path)} (errno {error}); check that its parent is accessible.");
        }

        var uid = BitConverter.ToUInt32(buffer, UnixNative.StatxUidOffset);
        var mode = BitConverter.ToUInt16(buffer, UnixNative.StatxModeOffset);
        return (uid, mode);
    }
}
