using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace MigrationTools.Engine.Criu;

/// <summary>The exact <c>criu</c> argument lists the engine runs.</summary>
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

        argv.AddRange(request.Options.ToArguments());
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
        }.Concat(request.Options.ToArguments()).ToArray();
    }
}
