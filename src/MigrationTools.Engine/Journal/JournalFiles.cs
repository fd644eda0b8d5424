using System;
using System.Globalization;
using System.IO;
using System.Runtime.InteropServices;
using System.Threading;
using MigrationTools.Engine.Remote;

namespace MigrationTools.Engine.Journal;

/// <summary>
/// The journal directory's file-system rules: owner-only directories and files, a flushed directory after each
/// rename, and the lock file that serialises writers across processes.
/// </summary>
internal static class JournalFiles
{
    public static readonly bool IsWindows = RuntimeInformation.IsOSPlatform(OSPlatform.Windows);

    private const string LockFileName = ".lock";
    private static readonly TimeSpan LockTimeout = TimeSpan.FromSeconds(30);
    private static readonly uint DirectoryMode = Convert.ToUInt32("700", 8);
    private static readonly uint FileMode600 = Convert.ToUInt32("600", 8);

    public static void CreatePrivateDirectory(string path)
    {
        if (System.IO.Directory.Exists(path))
        {
            return;
        }

        if (File.Exists(path))
        {
            throw new IOException($"{path} is a file, not a directory; a journal is a directory of migration records.");
        }

        if (IsWindows)
        {
            // Under %LOCALAPPDATA% the inherited ACL already limits access to the user.
            System.IO.Directory.CreateDirectory(path);
            return;
        }

        var parent = Path.GetDirectoryName(path);
        if (!string.IsNullOrEmpty(parent))
        {
            System.IO.Directory.CreateDirectory(parent);
        }

        if (UnixNative.mkdir(UnixNative.PathBytes(path), DirectoryMode) != 0)
        {
            var error = Marshal.GetLastWin32Error();
            if (error != UnixNative.EExist)
            {
                throw new IOException($"Could not create the journal directory {path} (errno {error.ToString(CultureInfo.InvariantCulture)}).");
            }
        }
        else if (UnixNative.chmod(UnixNative.PathBytes(path), DirectoryMode) != 0)
        {
            // The umask may have narrowed mkdir's mode; chmod makes it exactly 0700.
            throw new IOException($"Could not set mode 0700 on the journal directory {path} (errno {Marshal.GetLastWin32Error().ToString(CultureInfo.InvariantCulture)}).");
        }
    }

    public static void RestrictToOwner(string path)
    {
        if (!IsWindows && UnixNative.chmod(UnixNative.PathBytes(path), FileMode600) != 0)
        {
            throw new IOException($"Could not set mode 0600 on {path} (errno {Marshal.GetLastWin32Error().ToString(CultureInfo.InvariantCulture)}).");
        }
    }

    // Without this the rename can be lost in a crash even though the file's data reached the disk.
    public static void SyncDirectory(string directory)
    {
        if (IsWindows)
        {
            return;
        }

        var fd = JournalNative.open(UnixNative.PathBytes(directory), JournalNative.ReadOnly);
        if (fd < 0)
        {
            throw new IOException($"Could not open the journal directory {directory} to flush it (errno {Marshal.GetLastWin32Error().ToString(CultureInfo.InvariantCulture)}).");
        }

        try
        {
            if (JournalNative.fsync(fd) != 0)
            {
                throw new IOException($"Could not flush the journal directory {directory} (errno {Marshal.GetLastWin32Error().ToString(CultureInfo.InvariantCulture)}).");
            }
        }
        finally
        {
            _ = JournalNative.close(fd);
        }
    }

    // An exclusive open of the lock file (flock on Unix, a sharing lock on Windows) serialises writers across
    // processes; the file is never deleted, since deleting a lock file lets two writers lock different files.
    public static FileStream Lock(string directory)
    {
        var path = Path.Combine(directory, LockFileName);
        var deadline = DateTime.UtcNow + LockTimeout;
        while (true)
        {
            try
            {
                var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
                try
                {
                    RestrictToOwner(path);
                }
                catch
                {
                    stream.Dispose();
                    throw;
                }

                return stream;
            }
            catch (IOException e) when (e is not FileNotFoundException and not DirectoryNotFoundException)
            {
                if (DateTime.UtcNow > deadline)
                {
                    throw new IOException($"The journal {directory} stayed locked by another writer for {LockTimeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s.", e);
                }

                Thread.Sleep(10);
            }
        }
    }
}
