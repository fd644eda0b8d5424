using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using MigrationTools.Engine.Remote;
using MigrationTools.Engine.Workloads;

namespace MigrationTools.Engine.Criu;

/// <summary>The exact <c>criu</c> argument lists the engine runs, and the scripted commands that run them on a host.</summary>
internal static class CriuCommands
{
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

        argv.AddRange(request.Options.ToArguments(CriuOperation.Dump));
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

    /// <summary>The command that prints the end of a CRIU log (see <see cref="CriuLog.TailBytes"/>).</summary>
    public static RemoteCommand LogTail(string path) =>
        RemoteCommand.Create("sh", "-c", CriuScripts.LogTail, "sh", path, CriuLog.TailBytes.ToString(CultureInfo.InvariantCulture));
}
