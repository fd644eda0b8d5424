using System.Runtime.InteropServices;

namespace MigrationTools.Engine.Journal;

/// <summary>
/// The libc calls the journal needs beyond <see cref="Remote.UnixNative"/>: atomic rename and link, and fsync of a
/// directory, none of which netstandard2.0 offers. Paths are passed as <see cref="Remote.UnixNative.PathBytes"/>.
/// </summary>
internal static class JournalNative
{
    public const int ReadOnly = 0;
    public const int EExist = 17;

    private const string LibC = "libc";

    [DllImport(LibC, SetLastError = true)]
    public static extern int rename(byte[] oldPath, byte[] newPath);

    [DllImport(LibC, SetLastError = true)]
    public static extern int link(byte[] oldPath, byte[] newPath);

    [DllImport(LibC, SetLastError = true)]
    public static extern int open(byte[] path, int flags);

    [DllImport(LibC, SetLastError = true)]
    public static extern int fsync(int fd);

    [DllImport(LibC, SetLastError = true)]
    public static extern int close(int fd);
}
