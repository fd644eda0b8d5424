namespace MigrationTools.Module.Tests;

/// <summary>Where the repository's files are, found from the test assembly's location.</summary>
internal static class RepositoryLayout
{
    private const string SolutionFileName = "MigrationTools.sln";

    private static readonly Lazy<string> LazyRoot = new(FindRoot);

    /// <summary>The directory that holds <c>MigrationTools.sln</c>.</summary>
    public static string Root => LazyRoot.Value;

    public static string ManifestPath => Path.Combine(Root, "MigrationTools.psd1");

    public static string BuildPropsPath => Path.Combine(Root, "Directory.Build.props");

    public static string ModuleBinDirectory => Path.Combine(Root, "Module", "bin");

    public static string ModuleAssemblyPath => Path.Combine(ModuleBinDirectory, "MigrationTools.dll");

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, SolutionFileName)))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException(
            $"No {SolutionFileName} in {AppContext.BaseDirectory} or any directory above it.");
    }
}
