namespace MigrationTools.Engine.Tests.Zfs;

/// <summary>
/// Recorded zfs output kept beside these tests in Data/: zfs-fuse's from the lab, OpenZFS 2.2's usage lines
/// as zfs_main.c (zfs-2.2.9) prints them, and an excerpt of its property table in usage_prop_cb's format.
/// </summary>
internal static class ZfsTestData
{
    private static readonly string Directory = FindDirectory();

    public static string Read(string name) => File.ReadAllText(Path.Combine(Directory, name));

    private static string FindDirectory()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "tests", "MigrationTools.Engine.Tests", "Zfs", "Data");
            if (System.IO.Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException($"No tests/MigrationTools.Engine.Tests/Zfs/Data above {AppContext.BaseDirectory}.");
    }
}
