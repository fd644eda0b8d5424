using System.Runtime.InteropServices;
using System.Text;

namespace MigrationTools.Engine.Remote;

/// <summary>
/// The few libc calls needed to make and check a private directory (netstandard2.0 has no Unix file modes) and to
/// size a pipe.
/// </summary>
internal static class UnixNative
{
    public const int AtFdCwd = -100;
    public const int AtSymlinkNoFollow = 0x100;
    public const uint StatxType = 0x1;
    public const uint StatxMode = 0x2;
    public const uint StatxUid = 0x8;
    public const uint StatxGid = 0x10;
    public const int StatxBufferSize = 256;
    public const int StatxMaskOffset = 0;
    public const int StatxUidOffset = 20;
    public const int StatxGidOffset = 24;
    public const int StatxModeOffset = 28;
    public const int FileTypeMask = 0xF000;
    public const int DirectoryType = 0x4000;
    public const int EExist = 17;
    public const int ENoEnt = 2;
    public const int FSetPipeSize = 1031;

    private const string LibC = "libc";

    /// <summary>A path as libc takes it: UTF-8, NUL-terminated (netstandard2.0 cannot marshal strings as UTF-8).</summary>
    public static byte[] PathBytes(string path)
    {
        var bytes = new byte[Encoding.UTF8.GetByteCount(path) + 1];
        Encoding.UTF8.GetBytes(path, 0, path.Length, bytes, 0);
        return bytes;
    }

    [DllImport(LibC, SetLastError = true)]
    public static extern int mkdir(byte[] path, uint mode);

    [DllImport(LibC, SetLastError = true)]
    public static extern int chmod(byte[] path, uint mode);

    [DllImport(LibC, SetLastError = false)]
    public static extern uint geteuid();

    /// <summary>Linux statx(2): its buffer layout is the same on every architecture, unlike struct stat.</summary>
    [DllImport(LibC, SetLastError = true)]
    public static extern int statx(int dirfd, byte[] path, int flags, uint mask, byte[] buffer);

    /// <summary>fcntl(2) with an int argument, such as F_SETPIPE_SZ.</summary>
    [DllImport(LibC, SetLastError = true)]
    public static extern int fcntl(int fd, int command, int argument);
}
