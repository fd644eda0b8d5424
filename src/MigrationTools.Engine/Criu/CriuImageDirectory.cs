using System;
using MigrationTools.Engine.Remote;
using MigrationTools.Engine.Workloads;

namespace MigrationTools.Engine.Criu;

/// <summary>
/// Where a checkpoint's images live on a host: a directory under <c>/run</c> or <c>/dev/shm</c>, which are tmpfs,
/// so that dumping and restoring run at memory speed and the images never reach a disk. The dump recreates it
/// (mode 0700); it also holds CRIU's logs.
/// </summary>
public sealed record CriuImageDirectory
{
    /// <summary>The parent of the directories <see cref="ForWorkload"/> makes.</summary>
    public const string DefaultParent = "/run/migrationtools/images";

    private static readonly string[] AllowedRoots = { "/run/", "/dev/shm/" };

    private CriuImageDirectory(string path) => Path = path;

    /// <summary>The absolute path.</summary>
    public string Path { get; }

    /// <summary>The directory's last component.</summary>
    public string Name => Path.Substring(Path.LastIndexOf('/') + 1);

    /// <summary>The directory it is in.</summary>
    public string Parent => Path.Substring(0, Path.LastIndexOf('/'));

    /// <summary>CRIU's log of the dump (<c>-o dump.log -v4</c>).</summary>
    public string DumpLog => Path + "/dump.log";

    /// <summary>CRIU's log of the restore (<c>-o restore.log -v4</c>).</summary>
    public string RestoreLog => Path + "/restore.log";

    /// <summary>CRIU's log of the page server that received a streamed dump's pages (<c>-o page-server.log -v4</c>).</summary>
    internal string PageServerLog => Path + "/page-server.log";

    /// <summary>CRIU's log of the <c>criu lazy-pages</c> daemon that pulls a post-copy's pages (<c>-o lazy-pages.log -v4</c>).</summary>
    internal string LazyPagesLog => Path + "/lazy-pages.log";

    /// <summary>CRIU's log of a pre-dump (<c>-o pre-dump.log -v4</c>).</summary>
    internal string PreDumpLog => Path + "/pre-dump.log";

    /// <summary>
    /// Where detached operations keep their PID, start time, readiness and exit status. A dot directory, so that
    /// image shipments (which send <c>*</c>) leave it behind.
    /// </summary>
    internal string OperationsDirectory => Path + "/.operations";

    /// <summary>Where <c>criu restore --pidfile</c> writes the restored tree's root PID.</summary>
    public string RestorePidFile => Path + "/restore.pid";

    /// <summary>The archive of the files carried with the images (<see cref="CriuDumpRequest.CarriedFiles"/>).</summary>
    public string CarriedFilesArchive => Path + "/carried-files.tar";

    /// <summary>
    /// Where pre-copy round <paramref name="round"/> (from 1) of this checkpoint keeps its images: a sibling
    /// (<c>DIR.pre-N</c>), since the final dump recreates this directory and ships all of it, and is removed with it.
    /// </summary>
    /// <param name="round">The round, from 1.</param>
    /// <returns>The round's directory.</returns>
    internal CriuImageDirectory PreCopyRound(int round) =>
        round >= 1 ? Parse(Path + ".pre-" + round.ToString(System.Globalization.CultureInfo.InvariantCulture))
            : throw new ArgumentOutOfRangeException(nameof(round), round, "Pre-copy rounds count from 1.");

    /// <summary>
    /// Round <paramref name="round"/>'s images as the next round, the final dump and their page servers name them
    /// (<c>--prev-images-dir ../DIR.pre-N</c>): relative, so the chain holds wherever the directories are found again.
    /// </summary>
    /// <param name="round">The round, from 1.</param>
    /// <returns>The relative path.</returns>
    internal string PreCopyRoundLink(int round) => "../" + PreCopyRound(round).Name;

    /// <summary>Validates a path as an image directory.</summary>
    /// <param name="path">An absolute path below <c>/run/</c> or <c>/dev/shm/</c>, of letters, digits, <c>. _ -</c> and '/'.</param>
    /// <returns>The directory.</returns>
    /// <exception cref="ArgumentException">The path is not acceptable; the message says why.</exception>
    public static CriuImageDirectory Parse(string path)
    {
        var error = Error(path);
        return error is null ? new CriuImageDirectory(path) : throw new ArgumentException(error, nameof(path));
    }

    /// <summary>A fresh directory for one checkpoint of a workload: <c>/run/migrationtools/images/&lt;name&gt;-&lt;12 hex digits&gt;</c>.</summary>
    /// <param name="workload">The workload.</param>
    /// <returns>The directory (not yet created).</returns>
    public static CriuImageDirectory ForWorkload(WorkloadName workload)
    {
        if (workload is null)
        {
            throw new ArgumentNullException(nameof(workload));
        }

        return Parse(DefaultParent + "/" + workload.Value + "-" + Guid.NewGuid().ToString("N").Substring(0, 12));
    }

    /// <summary>The path.</summary>
    /// <returns><see cref="Path"/>.</returns>
    public override string ToString() => Path;

    private static string? Error(string? path)
    {
        const string Fix = "give a directory below /run/ or /dev/shm/ (tmpfs), such as /run/migrationtools/images/web-1";
        if (path is null || Array.TrueForAll(AllowedRoots, root => !path.StartsWith(root, StringComparison.Ordinal)))
        {
            return $"The image directory {SafeText.Show(path)} is not below /run/ or /dev/shm/; {Fix}.";
        }

        if (path.EndsWith("/", StringComparison.Ordinal))
        {
            return $"The image directory {SafeText.Show(path)} ends with '/'; {Fix}.";
        }

        var components = path.Substring(1).Split('/');
        if (components.Length < 3)
        {
            return $"The image directory {SafeText.Show(path)} is a top-level directory of its own; {Fix}.";
        }

        foreach (var component in components)
        {
            if (component.Length == 0 || component is "." or ".." || component[0] == '-')
            {
                return $"The image directory {SafeText.Show(path)} has an empty, '.', '..' or '-'-led component; {Fix}.";
            }

            foreach (var c in component)
            {
                if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c is '.' or '_' or '-'))
                {
                    return $"The image directory {SafeText.Show(path)} contains {SafeText.Describe(c)}; use letters, digits, '.', '_' and '-' ({Fix}).";
                }
            }
        }

        return null;
    }
}
