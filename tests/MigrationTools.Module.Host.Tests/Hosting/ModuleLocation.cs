namespace MigrationTools.Module.Host.Tests.Hosting;

/// <summary>Where the built module is: the repository's MigrationTools.psd1, found above the test assembly.</summary>
public static class ModuleLocation
{
    private static readonly Lazy<string> LazyRoot = new(FindRoot);

    /// <summary>The directory that holds MigrationTools.sln.</summary>
    public static string RepositoryRoot => LazyRoot.Value;

    /// <summary>The module manifest users import; its RootModule is Module/bin/MigrationTools.dll.</summary>
    public static string ManifestPath => Path.Combine(RepositoryRoot, "MigrationTools.psd1");

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "MigrationTools.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No MigrationTools.sln in {AppContext.BaseDirectory} or above it.");
    }
}
