using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using MigrationTools.Engine.Remote;
using MigrationTools.Engine.Workloads;

namespace MigrationTools.Engine.Criu;

/// <summary>The exact <c>criu</c> argument lists the engine runs, and the scripted commands that run them on a host.</summary>
internal static class CriuCommands
{
    private static readonly string[] PreDumpLogAndStatistics = { "-o", "pre-dump.log", "-v4", "--display-stats" };
    private static readonly string[] LazyPagesFlag = { "--lazy-pages" };

    /// <summary><c>criu dump -t PID -D DIR -o dump.log -v4 [--leave-stopped] [options]</c>.</summary>
    public static IReadOnlyList<string> Dump(CriuDumpRequest request)
    {
        if (request is null)
        {
            throw new ArgumentNullException(nameof(request));
        }

        var argv = new List<string>
        {
            "criu", "dump",
            "-t", request.Process.Pid.ToString(CultureInfo.InvariantCulture),
            "-D", request.Images.Path,
            // Relative to -D: the log stays with the images it describes.
            "-o", "dump.log", "-v4",
        };
        if (request.LeaveStopped)
        {
            argv.Add("--leave-stopped");
        }

        if (request.PreviousImages is { } previous)
        {
            argv.AddRange(new[] { "--track-mem", "--prev-images-dir", previous });
        }

        if (request.PageServer is { } server)
        {
            argv.Add("--page-server");
            argv.AddRange(server.ToArguments());
        }

        argv.AddRange(request.Options.ToArguments(CriuOperation.Dump));
        return argv;
    }

    /// <summary>
    /// <c>criu dump ... --lazy-pages --address A --status-fd 3</c>: the dump writes the non-memory images, then serves
    /// the pages on A (CRIU picks the port and logs it; <c>--port 0</c> is refused by its option parser) until a
    /// lazy-pages daemon has pulled them all. Fd 3 is the detached runner's readiness file.
    /// </summary>
    public static IReadOnlyList<string> LazyDump(CriuDumpRequest request, IPAddress listenAddress)
    {
        if (request is null)
        {
            throw new ArgumentNullException(nameof(request));
        }

        if (request.PageServer is not null)
        {
            throw new ArgumentException("A post-copy dump serves its own pages; it cannot also stream them to a page server.", nameof(request));
        }

        return Dump(request).Concat(new[] { "--lazy-pages", "--address", ListenAddress(listenAddress), "--status-fd", "3" }).ToArray();
    }

    /// <summary>
    /// <c>criu page-server -D DIR --address A [--prev-images-dir REL] -o page-server.log -v4 --status-fd 3</c>: receives
    /// a streamed dump's or pre-dump's pages. With the previous round's images (as the dump names them), the server
    /// links them as the parent, so the sender learns which pages the destination already holds and sends only the
    /// dirtied ones (without it, memory tracking through a page server sends everything again).
    /// </summary>
    public static IReadOnlyList<string> PageServer(CriuImageDirectory images, IPAddress listenAddress, string? previousImages = null)
    {
        var argv = new List<string>
        {
            "criu", "page-server",
            "-D", (images ?? throw new ArgumentNullException(nameof(images))).Path,
            "--address", ListenAddress(listenAddress),
        };
        if (previousImages is not null)
        {
            if (CriuPreDumpRequest.PreviousImagesError(previousImages) is { } error)
            {
                throw new ArgumentException(error, nameof(previousImages));
            }

            argv.Add("--prev-images-dir");
            argv.Add(previousImages);
        }

        argv.AddRange(LogAndStatus("page-server.log"));
        return argv;
    }

    /// <summary>
    /// <c>criu lazy-pages --page-server --address A --port P -D DIR -o lazy-pages.log -v4 --status-fd 3</c>: pulls a
    /// post-copy's pages from the source's lazy dump into the tree the restore recreates.
    /// </summary>
    public static IReadOnlyList<string> LazyPages(CriuImageDirectory images, CriuPageServer source)
    {
        var argv = new List<string> { "criu", "lazy-pages", "--page-server" };
        argv.AddRange((source ?? throw new ArgumentNullException(nameof(source))).ToArguments());
        argv.Add("-D");
        argv.Add((images ?? throw new ArgumentNullException(nameof(images))).Path);
        argv.AddRange(LogAndStatus("lazy-pages.log"));
        return argv;
    }

    /// <summary>
    /// <c>criu pre-dump -t PID -D DIR --track-mem [--prev-images-dir REL] [--page-server --address A --port P] -o pre-dump.log -v4 --display-stats [options]</c>:
    /// copies the memory while the tree runs (it is frozen only to collect it), and counts the pages it wrote.
    /// </summary>
    public static IReadOnlyList<string> PreDump(CriuPreDumpRequest request)
    {
        if (request is null)
        {
            throw new ArgumentNullException(nameof(request));
        }

        var argv = new List<string>
        {
            "criu", "pre-dump",
            "-t", request.Process.Pid.ToString(CultureInfo.InvariantCulture),
            "-D", request.Images.Path,
            "--track-mem",
        };
        if (request.PreviousImages is { } previous)
        {
            argv.AddRange(new[] { "--prev-images-dir", previous });
        }

        if (request.PageServer is { } server)
        {
            argv.Add("--page-server");
            argv.AddRange(server.ToArguments());
        }

        argv.AddRange(PreDumpLogAndStatistics);
        argv.AddRange(request.Options.ToArguments(CriuOperation.PreDump));
        return argv;
    }

    /// <summary><c>criu restore -d -D DIR -o restore.log -v4 --pidfile DIR/restore.pid [options]</c>.</summary>
    public static IReadOnlyList<string> Restore(CriuRestoreRequest request)
    {
        if (request is null)
        {
            throw new ArgumentNullException(nameof(request));
        }

        return new[]
        {
            "criu", "restore", "-d",
            "-D", request.Images.Path,
            "-o", "restore.log", "-v4",
            "--pidfile", request.Images.RestorePidFile,
        }.Concat(request.Options.ToArguments(CriuOperation.Restore)).ToArray();
    }

    /// <summary><see cref="Restore"/> with <c>--lazy-pages</c>: the memory comes from the lazy-pages daemon of the same directory.</summary>
    public static IReadOnlyList<string> LazyRestore(CriuRestoreRequest request) => Restore(request).Concat(LazyPagesFlag).ToArray();

    /// <summary>The command <see cref="CriuHost.DumpAsync"/> runs: the check-and-prepare script, then the exact criu argv.</summary>
    public static RemoteCommand ScriptedDump(CriuDumpRequest request)
    {
        if (request is null)
        {
            throw new ArgumentNullException(nameof(request));
        }

        return RemoteCommand.Create(new[]
        {
            "sh", "-c", CriuScripts.Dump, "sh",
            request.Process.Pid.ToString(CultureInfo.InvariantCulture),
            request.Process.StartTime.ToString(CultureInfo.InvariantCulture),
            request.Images.Path,
            string.Join("\n", request.CarriedFiles),
        }.Concat(Dump(request)));
    }

    /// <summary>The command <see cref="CriuHost.RestoreAsync"/> runs: the prepare script, then the exact criu argv.</summary>
    public static RemoteCommand ScriptedRestore(CriuRestoreRequest request)
    {
        if (request is null)
        {
            throw new ArgumentNullException(nameof(request));
        }

        return RemoteCommand.Create(new[] { "sh", "-c", CriuScripts.Restore, "sh", request.Images.Path, request.RecordFile ?? "" }.Concat(Restore(request)));
    }

    /// <summary>The restore <see cref="CriuHost.RestoreLazilyAsync"/> runs once the lazy-pages daemon is ready.</summary>
    public static RemoteCommand ScriptedLazyRestore(CriuRestoreRequest request)
    {
        if (request is null)
        {
            throw new ArgumentNullException(nameof(request));
        }

        return RemoteCommand.Create(new[] { "sh", "-c", CriuScripts.Restore, "sh", request.Images.Path, request.RecordFile ?? "" }.Concat(LazyRestore(request)));
    }

    /// <summary>The command <see cref="CriuHost.StartChainedPageServerAsync"/> runs.</summary>
    public static RemoteCommand StartPageServer(CriuImageDirectory images, IPAddress listenAddress, string? previousImages = null) =>
        RemoteCommand.Create(new[]
        {
            "sh", "-c", CriuDetachedScripts.StartPageServer, "sh", (images ?? throw new ArgumentNullException(nameof(images))).Path, ReadySeconds,
        }.Concat(PageServer(images, listenAddress, previousImages)));

    /// <summary>The command <see cref="CriuHost.RemovePreCopyRoundsAsync"/> runs.</summary>
    public static RemoteCommand RemovePreCopyRounds(CriuImageDirectory images) =>
        RemoteCommand.Create("sh", "-c", CriuScripts.RemovePreCopyRounds, "sh", (images ?? throw new ArgumentNullException(nameof(images))).Path);

    /// <summary>The command <see cref="CriuHost.StartLazyDumpAsync"/> runs.</summary>
    public static RemoteCommand StartLazyDump(CriuDumpRequest request, IPAddress listenAddress)
    {
        if (request is null)
        {
            throw new ArgumentNullException(nameof(request));
        }

        return RemoteCommand.Create(new[]
        {
            "sh", "-c", CriuDetachedScripts.StartLazyDump, "sh",
            request.Process.Pid.ToString(CultureInfo.InvariantCulture),
            request.Process.StartTime.ToString(CultureInfo.InvariantCulture),
            request.Images.Path,
            string.Join("\n", request.CarriedFiles),
            ReadySeconds,
        }.Concat(LazyDump(request, listenAddress)));
    }

    /// <summary>The command <see cref="CriuHost.RestoreLazilyAsync"/> starts the lazy-pages daemon with.</summary>
    public static RemoteCommand StartLazyPages(CriuImageDirectory images, CriuPageServer source) =>
        RemoteCommand.Create(new[]
        {
            "sh", "-c", CriuDetachedScripts.StartLazyPages, "sh", (images ?? throw new ArgumentNullException(nameof(images))).Path, ReadySeconds,
        }.Concat(LazyPages(images, source)));

    /// <summary>The command that waits up to <paramref name="limit"/> for a detached operation to end and prints its outcome.</summary>
    public static RemoteCommand DetachedOutcome(CriuImageDirectory images, string name, TimeSpan limit) =>
        RemoteCommand.Create(
            "sh", "-c", CriuDetachedScripts.Outcome, "sh", (images ?? throw new ArgumentNullException(nameof(images))).Path, DetachedName(name),
            ((long)Math.Ceiling(Math.Max(0, limit.TotalSeconds))).ToString(CultureInfo.InvariantCulture));

    /// <summary>The command that ends a detached operation if it runs.</summary>
    public static RemoteCommand StopDetached(CriuImageDirectory images, string name) =>
        RemoteCommand.Create("sh", "-c", CriuDetachedScripts.Stop, "sh", (images ?? throw new ArgumentNullException(nameof(images))).Path, DetachedName(name));

    /// <summary>The command <see cref="CriuHost.PreDumpAsync"/> runs.</summary>
    public static RemoteCommand ScriptedPreDump(CriuPreDumpRequest request)
    {
        if (request is null)
        {
            throw new ArgumentNullException(nameof(request));
        }

        return RemoteCommand.Create(new[]
        {
            "sh", "-c", CriuScripts.PreDump, "sh",
            request.Process.Pid.ToString(CultureInfo.InvariantCulture),
            request.Process.StartTime.ToString(CultureInfo.InvariantCulture),
            request.Images.Path,
        }.Concat(PreDump(request)));
    }

    /// <summary>The command <see cref="CriuHost.ReleaseNetworkLockAsync"/> runs.</summary>
    public static RemoteCommand ReleaseNetworkLock(WorkloadProcess frozenRoot, CriuImageDirectory images)
    {
        if (frozenRoot is null)
        {
            throw new ArgumentNullException(nameof(frozenRoot));
        }

        return RemoteCommand.Create(
            "sh", "-c", CriuScripts.ReleaseNetworkLock, "sh", (images ?? throw new ArgumentNullException(nameof(images))).Path,
            frozenRoot.Pid.ToString(CultureInfo.InvariantCulture), frozenRoot.StartTime.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>How long a detached operation may take to become ready: a lazy dump writes every non-memory image first.</summary>
    private static string ReadySeconds => ((int)ReadyLimit.TotalSeconds).ToString(CultureInfo.InvariantCulture);

    /// <summary>How long a detached operation may take to become ready.</summary>
    public static TimeSpan ReadyLimit { get; } = TimeSpan.FromSeconds(120);

    // -v4: the log names the port CRIU picked; fd 3 is the detached runner's readiness file.
    private static string[] LogAndStatus(string log) => new[] { "-o", log, "-v4", "--status-fd", "3" };

    private static string DetachedName(string name) =>
        name is CriuDetachedScripts.PageServer or CriuDetachedScripts.LazyDump or CriuDetachedScripts.LazyPages
            ? name
            : throw new ArgumentOutOfRangeException(nameof(name), name, "Not a detached CRIU operation.");

    private static string ListenAddress(IPAddress address)
    {
        if (address is null)
        {
            throw new ArgumentNullException(nameof(address));
        }

        return address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any) || address.Equals(IPAddress.None)
            ? throw new ArgumentException($"A page server listens on the address its peer reaches it by, not {address}.", nameof(address))
            : address.ToString();
    }

    /// <summary>The command that prints the end of a CRIU log (see <see cref="CriuLog.TailBytes"/>).</summary>
    public static RemoteCommand LogTail(string path) =>
        RemoteCommand.Create("sh", "-c", CriuScripts.LogTail, "sh", path, CriuLog.TailBytes.ToString(CultureInfo.InvariantCulture));
}
