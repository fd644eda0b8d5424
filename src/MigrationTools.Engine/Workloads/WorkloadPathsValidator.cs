using MigrationTools.Engine.Remote;

namespace MigrationTools.Engine.Workloads;

/// <summary>
/// The rule for <see cref="WorkloadPaths"/>: each directory an absolute path on the host, not the root, without
/// control characters and without <c>.</c> or <c>..</c> components. Front ends check their path parameters with it
/// and map <see cref="WorkloadPathFault.Field"/> to their own parameter's name.
/// </summary>
public static class WorkloadPathsValidator
{
    /// <summary>The first fault of the two directories, or <see langword="null"/> when both can be used.</summary>
    /// <param name="manifestDirectory">The manifest directory as given.</param>
    /// <param name="runtimeDirectory">The runtime directory as given.</param>
    /// <returns>The fault, or <see langword="null"/>.</returns>
    public static WorkloadPathFault? Check(string? manifestDirectory, string? runtimeDirectory) =>
        Check(WorkloadPathField.ManifestDirectory, manifestDirectory)
        ?? Check(WorkloadPathField.RuntimeDirectory, runtimeDirectory);

    /// <summary>The fault of one directory, or <see langword="null"/> when it can be used.</summary>
    /// <param name="field">Which directory it is.</param>
    /// <param name="path">The directory as given.</param>
    /// <returns>The fault, or <see langword="null"/>.</returns>
    public static WorkloadPathFault? Check(WorkloadPathField field, string? path)
    {
        var (what, example) = field == WorkloadPathField.RuntimeDirectory
            ? ("runtime directory", WorkloadPaths.DefaultRuntimeDirectory)
            : ("manifest directory", WorkloadPaths.DefaultManifestDirectory);
        var fix = $"give an absolute directory path on the hosts, such as {example}";
        var error = Error(path, what, fix);
        return error is null ? null : new WorkloadPathFault(field, path, error);
    }

    private static string? Error(string? path, string what, string fix)
    {
        if (path is null || path.Length == 0 || path[0] != '/')
        {
            return $"The {what} {SafeText.Show(path)} is not an absolute path; {fix}.";
        }

        if (path.TrimEnd('/').Length == 0)
        {
            return $"The {what} is the root directory; {fix}.";
        }

        foreach (var c in path)
        {
            if (char.IsControl(c))
            {
                return $"The {what} {SafeText.Show(path)} contains {SafeText.Describe(c)}; {fix}.";
            }
        }

        foreach (var component in path.Split('/'))
        {
            if (component is "." or "..")
            {
                return $"The {what} {SafeText.Show(path)} has a '{component}' component; {fix}.";
            }
        }

        return null;
    }
}
