using System;
using System.Linq;
using MigrationTools.Engine.Remote;

namespace MigrationTools.Engine.Criu;

/// <summary>What to restore and how.</summary>
/// <param name="Images">The images, on the host that restores them.</param>
internal sealed record CriuRestoreRequest(CriuImageDirectory Images)
{
    private readonly string? _recordFile;

    /// <summary>The checkpoint's images.</summary>
    public CriuImageDirectory Images { get; } = Images ?? throw new ArgumentNullException(nameof(Images));

    /// <summary>The options the dump used.</summary>
    public CriuOptions Options { get; init; } = CriuOptions.Default;

    /// <summary>
    /// A file on the host in which the restore itself records the restored root as <c>"PID START"</c> (written
    /// atomically, its directory created), such as a workload's PID record; <see langword="null"/> for none. Recording
    /// in the same command saves a round trip while the workload is down.
    /// </summary>
    /// <exception cref="ArgumentException">Not an absolute file path without control characters and <c>.</c>/<c>..</c> components.</exception>
    public string? RecordFile
    {
        get => _recordFile;
        init => _recordFile = value is null || RecordFileError(value) is not { } error ? value : throw new ArgumentException(error, nameof(RecordFile));
    }

    /// <summary>A request that mirrors <paramref name="dump"/>'s options, for images at <paramref name="images"/>.</summary>
    /// <param name="dump">The dump the images came from.</param>
    /// <param name="images">Where the images are on the restoring host; <see langword="null"/> for where the dump put them.</param>
    /// <returns>The request.</returns>
    public static CriuRestoreRequest For(CriuDump dump, CriuImageDirectory? images = null)
    {
        if (dump is null)
        {
            throw new ArgumentNullException(nameof(dump));
        }

        return new CriuRestoreRequest(images ?? dump.Images) { Options = dump.Options };
    }

    /// <summary>A request that mirrors a post-copy dump's options, for its images at <paramref name="images"/>.</summary>
    /// <param name="dump">The post-copy dump the images came from.</param>
    /// <param name="images">Where the images are on the restoring host; <see langword="null"/> for the dump's own path.</param>
    /// <returns>The request.</returns>
    public static CriuRestoreRequest For(CriuLazyDump dump, CriuImageDirectory? images = null)
    {
        if (dump is null)
        {
            throw new ArgumentNullException(nameof(dump));
        }

        return new CriuRestoreRequest(images ?? dump.Images) { Options = dump.Options };
    }

    private static string? RecordFileError(string path)
    {
        const string Fix = "give an absolute file path such as /run/migrationtools/workloads/web/pid";
        if (path.Length < 2 || path[0] != '/' || path.EndsWith("/", StringComparison.Ordinal))
        {
            return $"The record file {SafeText.Show(path)} is not an absolute file path; {Fix}.";
        }

        if (path.FirstOrDefault(char.IsControl) is var c && c != default)
        {
            return $"The record file {SafeText.Show(path)} contains {SafeText.Describe(c)}; {Fix}.";
        }

        return path.Split('/').Any(component => component is "." or "..")
            ? $"The record file {SafeText.Show(path)} has a '.' or '..' component; {Fix}."
            : null;
    }
}
