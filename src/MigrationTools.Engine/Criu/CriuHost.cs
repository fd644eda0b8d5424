using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using MigrationTools.Engine.Migrations;
using MigrationTools.Engine.Remote;
using MigrationTools.Engine.Workloads;

namespace MigrationTools.Engine.Criu;

/// <summary>
/// CRIU on one host, driven through its <see cref="SshConnection"/>: what it can do, checkpoints (dump), undoing
/// them (resume), restores, and the logs that explain failures. Failures throw <see cref="CriuException"/> with the
/// log's telling lines. Safe for concurrent use on different image directories.
/// </summary>
/// <remarks>
/// The steps are separate so that the caller decides when the source tree ends. A tree left stopped by a dump still
/// holds its listening sockets; where source and target share an address (one network namespace, or a service
/// address that moves), the restore fails with "Address already in use" until the source tree is killed
/// (<see cref="WorkloadRuntime.KillAsync"/>). After that, undo is a restore of the same images on the source.
/// </remarks>
public sealed class CriuHost
{
    /// <summary>Exit status of the engine's own scripts when a precondition does not hold (wrong process, no images).</summary>
    internal const int PreconditionFailed = 125;

    /// <summary>Exit status when the carried files could not be archived or put back.</summary>
    internal const int CarriedFilesFailed = 124;

    /// <summary>Exit status when a restore succeeded but its root process cannot be found.</summary>
    internal const int RestoredProcessMissing = 123;

    /// <summary>Prints <c>kernel</c>, <c>version</c>, <c>check</c> and <c>predump</c> lines, outputs base64-encoded.</summary>
    internal const string CheckScript = """
        printf 'kernel %s\n' "$(uname -r)"
        if ! command -v criu >/dev/null 2>&1; then echo missing; exit 0; fi
        o=$(criu --version 2>&1); s=$?
        printf 'version %s %s\n' "$s" "$(printf '%s' "$o" | base64 -w0)"
        o=$(criu check 2>&1); s=$?
        printf 'check %s %s\n' "$s" "$(printf '%s' "$o" | base64 -w0)"
        o=$(criu check --feature mem_dirty_track 2>&1); s=$?
        printf 'predump %s %s\n' "$s" "$(printf '%s' "$o" | base64 -w0)"
        """;

    /// <summary>Prints <c>image BASE64</c> (the source's cpuinfo.img) or <c>failed STATUS BASE64-OUTPUT</c>.</summary>
    internal const string CpuInfoDumpScript = """
        t=$(mktemp -d) || exit 1
        criu cpuinfo dump -D "$t" > "$t/out" 2>&1; s=$?
        if [ $s -eq 0 ] && [ -s "$t/cpuinfo.img" ]; then
            printf 'image %s\n' "$(base64 -w0 < "$t/cpuinfo.img")"
        else
            printf 'failed %s %s\n' "$s" "$(tail -c 2000 "$t/out" | base64 -w0)"
        fi
        rm -rf -- "$t"
        """;

    /// <summary>$1 the source's cpuinfo.img, base64-encoded. Runs <c>criu cpuinfo check</c> against it; its exit status and output.</summary>
    internal const string CpuInfoCheckScript = """
        t=$(mktemp -d) || exit 1
        printf '%s' "$1" | base64 -d > "$t/cpuinfo.img" || { rm -rf -- "$t"; exit 1; }
        criu cpuinfo check -D "$t" > "$t/out" 2>&1; s=$?
        tail -c 2000 "$t/out"
        rm -rf -- "$t"
        exit $s
        """;

    /// <summary>
    /// $1 PID, $2 start time, $3 image directory, $4 carried files (one a line), then the criu command. Checks the
    /// process, recreates the directory (0700), dumps, archives the carried files, prints the images' size in bytes.
    /// </summary>
    internal const string DumpScript = ProcessTreeScripts.Functions + """
        pid=$1; start=$2; d=$3; carry=$4; shift 4
        if ! mt_alive "$pid" "$start"; then
            echo "process $pid started at tick $start is not running: it ended, or its PID now belongs to another process" >&2; exit 125
        fi
        umask 077
        rm -rf -- "$d" && mkdir -p -- "$d" || exit 1
        "$@" || exit $?
        if [ -n "$carry" ]; then
            ( set -f; IFS='
        '; exec tar -cPf "$d/carried-files.tar" -- $carry ) || { echo "the files to carry could not be archived" >&2; exit 124; }
        fi
        du -sb -- "$d" 2>/dev/null || echo -
        """;

    /// <summary>$1 PID, $2 start time. Sends SIGCONT to every process of the tree; prints how many.</summary>
    internal const string ResumeScript = ProcessTreeScripts.Functions + """
        if ! mt_alive "$1" "$2"; then
            echo "process $1 started at tick $2 is not running; there is nothing to resume" >&2; exit 125
        fi
        mt_tree "$1"
        n=0
        for p in $mt_t; do kill -s CONT "$p" 2>/dev/null && n=$((n + 1)); done
        echo $n
        """;

    /// <summary>
    /// $1 image directory, $2 record file or empty, then the criu command. Puts carried files back, restores, records
    /// <c>"PID START"</c> of the root in the record file, if any, and prints it.
    /// </summary>
    internal const string RestoreScript = ProcessTreeScripts.Functions + """
        d=$1; rec=$2; shift 2
        [ -f "$d/inventory.img" ] || { echo "there are no images in $d" >&2; exit 125; }
        umask 077
        if [ -f "$d/carried-files.tar" ]; then
            tar -xpPf "$d/carried-files.tar" || { echo "the carried files could not be put back" >&2; exit 124; }
        fi
        rm -f -- "$d/restore.pid"
        "$@" || exit $?
        pid=
        { read -r pid < "$d/restore.pid"; } 2>/dev/null
        if ! mt_stat "$pid"; then
            echo "criu restore succeeded, but the process ${pid:-?} named in $d/restore.pid is not there" >&2; exit 123
        fi
        if [ -n "$rec" ]; then
            { mkdir -p -- "${rec%/*}" && printf '%s %s\n' "$pid" "$mt_start" > "$rec.new" && mv -f -- "$rec.new" "$rec"; } ||
                { echo "criu restore succeeded, but process $pid could not be recorded in $rec" >&2; exit 122; }
        fi
        echo "$pid $mt_start"
        """;

    /// <summary>$1 log file, $2 most bytes. Prints the end of the log; nothing when there is none.</summary>
    /// <summary>
    /// $1 image directory. Prints "PID START" of the tree a restore from it left running, if any: the PID in its
    /// pid file, alive, and the init of its own PID namespace (so a PID reused by an unrelated process never matches).
    /// </summary>
    internal const string FindRestoredScript = ProcessTreeScripts.Functions + """
        pid=$(cat -- "$1/restore.pid" 2>/dev/null)
        mt_stat "$pid" || exit 0
        case $mt_state in Z|X|x) exit 0;; esac
        ns=$(grep '^NSpid:' "/proc/$pid/status" 2>/dev/null)
        case $ns in *"	1") echo "$pid $mt_start";; esac
        exit 0
        """;

    /// <summary>
    /// $1 dump or restore, $2 image directory, $3 most seconds to wait. Waits while a <c>criu $1</c> of that
    /// directory runs, such as one left behind by a controller that died; prints "running" if it still does.
    /// </summary>
    internal const string WaitForOperationScript = """
        i=0
        while :; do
            busy=
            for f in /proc/[0-9]*/cmdline; do
                c=$(tr '\000' ' ' < "$f" 2>/dev/null) || continue
                case $c in "criu $1 "*" $2 "*|*"/criu $1 "*" $2 "*) busy=1; break;; esac
            done
            [ -z "$busy" ] && exit 0
            [ $i -ge $(( $3 * 5 )) ] && { echo running; exit 0; }
            sleep 0.2; i=$((i + 1))
        done
        """;

    internal const string LogTailScript = """
        [ -f "$1" ] || exit 0
        exec tail -c "$2" -- "$1"
        """;

    /// <summary>$1 image directory. Removes it and any unfinished incoming copy of it; prints <c>removed</c> when there was one.</summary>
    internal const string RemoveScript = """
        found=
        for x in "$1" "$1".incoming.*; do
            [ -e "$x" ] || continue
            rm -rf -- "$x" || exit 1
            found=1
        done
        [ -n "$found" ] && echo removed
        exit 0
        """;

    private static readonly char[] Space = { ' ' };

    private static readonly string[] Unsupported = { "not supported", "unsupported", "Unknown command", "not implemented" };

    /// <summary>Creates a driver over <paramref name="connection"/>, which it uses but does not own.</summary>
    /// <param name="connection">The host's connection.</param>
    public CriuHost(SshConnection connection) =>
        Connection = connection ?? throw new ArgumentNullException(nameof(connection));

    /// <summary>The connection commands run through.</summary>
    public SshConnection Connection { get; }

    private string Host => Connection.Destination.ToString();

    /// <summary>
    /// Learns what the host's CRIU can do, in one command: <c>uname -r</c>, <c>criu --version</c>, <c>criu check</c>
    /// and <c>criu check --feature mem_dirty_track</c>.
    /// </summary>
    /// <param name="cancellationToken">Stops the command.</param>
    /// <returns>The findings, with a preflight check for each.</returns>
    public async Task<CriuHostCheck> CheckAsync(CancellationToken cancellationToken = default)
    {
        var result = await Connection.RunAsync(RemoteCommand.Create("sh", "-c", CheckScript, "sh"), cancellationToken).ConfigureAwait(false);
        return ParseCheck(Host, result.Text);
    }

    /// <summary>
    /// Compares the target's CPU with this host's: <c>criu cpuinfo dump</c> here, <c>criu cpuinfo check</c> there.
    /// Where CRIU cannot compare CPUs, the result says so and does not fail.
    /// </summary>
    /// <param name="target">The host the tree would be restored on.</param>
    /// <param name="cancellationToken">Stops the commands.</param>
    /// <returns>The comparison.</returns>
    public async Task<CpuCompatibility> CheckCpuCompatibilityAsync(CriuHost target, CancellationToken cancellationToken = default)
    {
        if (target is null)
        {
            throw new ArgumentNullException(nameof(target));
        }

        var dump = await Connection.RunAsync(RemoteCommand.Create("sh", "-c", CpuInfoDumpScript, "sh"), cancellationToken).ConfigureAwait(false);
        var words = dump.Text.Trim().Split(' ');
        if (words.Length < 2 || words[0] != "image")
        {
            var said = words.Length >= 3 ? Decode(words[2]) : dump.Text;
            return new CpuCompatibility(Host, target.Host, false, true,
                $"Not verified: criu cpuinfo dump on {Host} failed{(IsUnsupported(said) ? " (not supported here)" : "")}: {RemoteException.Excerpt(said, 300)}");
        }

        var check = await target.Connection.ExecuteAsync(
            RemoteCommand.Create("sh", "-c", CpuInfoCheckScript, "sh", words[1]), cancellationToken).ConfigureAwait(false);
        var output = RemoteException.Excerpt(check.Text + "\n" + check.StandardError, 600);
        if (check.Succeeded)
        {
            return new CpuCompatibility(Host, target.Host, true, true, $"The CPU of {target.Host} runs what {Host}'s CPU runs (criu cpuinfo check passed).");
        }

        return IsUnsupported(output)
            ? new CpuCompatibility(Host, target.Host, false, true, $"Not verified: criu cpuinfo check is not supported on {target.Host}: {output}")
            : new CpuCompatibility(Host, target.Host, true, false,
                $"The CPU of {target.Host} lacks features of {Host}'s that a checkpoint may use; restore there may fail or misbehave: {output}");
    }

    /// <summary>
    /// Checkpoints a process tree: checks the root's start time, recreates the image directory (0700), runs
    /// <c>criu dump</c>, and archives the carried files with the images. With <see cref="CriuDumpRequest.LeaveStopped"/>
    /// the tree stays frozen here (undo with <see cref="ResumeAsync"/>); otherwise CRIU ends it.
    /// </summary>
    /// <param name="request">What to dump.</param>
    /// <param name="cancellationToken">Stops the command (CRIU then resumes or ends the tree as it would on failure).</param>
    /// <returns>The checkpoint.</returns>
    /// <exception cref="CriuException">The dump failed; the message quotes <c>dump.log</c>.</exception>
    public async Task<CriuDump> DumpAsync(CriuDumpRequest request, CancellationToken cancellationToken = default)
    {
        var command = DumpCommand(request);
        var clock = Stopwatch.StartNew();
        var result = await Connection.ExecuteAsync(command, cancellationToken).ConfigureAwait(false);
        clock.Stop();
        if (!result.Succeeded)
        {
            throw await FailureAsync(CriuOperation.Dump, result, request.Images.DumpLog, cancellationToken).ConfigureAwait(false);
        }

        var size = result.Text.Trim().Split('\t', ' ')[0];
        return new CriuDump(
            Host, request.Process, request.Images, request.LeaveStopped, request.Options,
            long.TryParse(size, NumberStyles.None, CultureInfo.InvariantCulture, out var bytes) ? bytes : -1,
            clock.Elapsed);
    }

    /// <summary>
    /// Undoes a dump that left the tree stopped: SIGCONT to every process of the tree, after checking the root's
    /// start time.
    /// </summary>
    /// <param name="process">The tree's root.</param>
    /// <param name="cancellationToken">Stops the command.</param>
    /// <returns>How many processes were continued.</returns>
    /// <exception cref="CriuException">The process no longer runs.</exception>
    public async Task<int> ResumeAsync(WorkloadProcess process, CancellationToken cancellationToken = default)
    {
        if (process is null)
        {
            throw new ArgumentNullException(nameof(process));
        }

        var result = await Connection.ExecuteAsync(
            RemoteCommand.Create(
                "sh", "-c", ResumeScript, "sh",
                process.Pid.ToString(CultureInfo.InvariantCulture), process.StartTime.ToString(CultureInfo.InvariantCulture)),
            cancellationToken).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            throw new CriuException(Host, CriuOperation.Resume, result.Command, result.ExitCode,
                $"The tree of process {process} could not be continued.", RemoteException.Excerpt(result.StandardError));
        }

        return int.TryParse(result.Text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var count) ? count : 0;
    }

    /// <summary>
    /// Restores a tree from images on this host (<c>criu restore -d</c>), after putting the carried files back, and
    /// finds its root through <c>--pidfile</c>. Record the root with <see cref="CriuRestoreRequest.RecordFile"/> or
    /// <see cref="WorkloadRuntime.AdoptAsync"/>.
    /// </summary>
    /// <param name="request">What to restore.</param>
    /// <param name="cancellationToken">Stops the command.</param>
    /// <returns>The restored tree.</returns>
    /// <exception cref="CriuException">The restore failed; the message quotes <c>restore.log</c>.</exception>
    public async Task<CriuRestore> RestoreAsync(CriuRestoreRequest request, CancellationToken cancellationToken = default)
    {
        var command = RestoreCommand(request);
        var clock = Stopwatch.StartNew();
        var result = await Connection.ExecuteAsync(command, cancellationToken).ConfigureAwait(false);
        clock.Stop();
        if (!result.Succeeded)
        {
            throw await FailureAsync(CriuOperation.Restore, result, request.Images.RestoreLog, cancellationToken).ConfigureAwait(false);
        }

        var process = WorkloadProcess.TryParse(result.Text)
            ?? throw new CriuException(Host, CriuOperation.Restore, result.Command, 0,
                $"The restore printed {SafeText.Show(result.Text.Trim())} instead of the restored root's PID and start time.", "");
        return new CriuRestore(Host, process, request.Images, clock.Elapsed);
    }

    /// <summary>
    /// The process tree that a restore from <paramref name="images"/> left running on this host, if any; found after
    /// an interruption between the restore and the recording of its PID, so that it is adopted rather than duplicated.
    /// </summary>
    /// <param name="images">The image directory the restore used.</param>
    /// <param name="cancellationToken">Stops the command.</param>
    /// <returns>The restored root, or <see langword="null"/>.</returns>
    public async Task<WorkloadProcess?> FindRestoredAsync(CriuImageDirectory images, CancellationToken cancellationToken = default)
    {
        var result = await Connection.RunAsync(
            RemoteCommand.Create("sh", "-c", FindRestoredScript, "sh", (images ?? throw new ArgumentNullException(nameof(images))).Path),
            cancellationToken).ConfigureAwait(false);
        return WorkloadProcess.TryParse(result.Text);
    }

    /// <summary>
    /// Waits until no <c>criu</c> <paramref name="operation"/> of <paramref name="images"/> runs on this host: one
    /// started by a controller that died goes on for a while, and must end before anyone inspects or repeats it.
    /// </summary>
    /// <param name="operation"><see cref="CriuOperation.Dump"/> or <see cref="CriuOperation.Restore"/>.</param>
    /// <param name="images">The image directory it works on.</param>
    /// <param name="timeout">The longest wait.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>True when none runs; false when one still ran after <paramref name="timeout"/>.</returns>
    public async Task<bool> WaitForOperationAsync(
        CriuOperation operation, CriuImageDirectory images, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var word = operation switch
        {
            CriuOperation.Dump => "dump",
            CriuOperation.Restore => "restore",
            _ => throw new ArgumentOutOfRangeException(nameof(operation), operation, "Only dumps and restores run for long."),
        };
        var result = await Connection.RunAsync(
            RemoteCommand.Create(
                "sh", "-c", WaitForOperationScript, "sh", word, (images ?? throw new ArgumentNullException(nameof(images))).Path,
                ((int)Math.Ceiling(timeout.TotalSeconds)).ToString(CultureInfo.InvariantCulture)),
            cancellationToken).ConfigureAwait(false);
        return result.Text.Trim() != "running";
    }

    /// <summary>The end of CRIU's log of an operation.</summary>
    /// <param name="images">The image directory the log is in.</param>
    /// <param name="operation"><see cref="CriuOperation.Dump"/> or <see cref="CriuOperation.Restore"/>.</param>
    /// <param name="cancellationToken">Stops the command.</param>
    /// <returns>The last 64 KiB of the log; empty when there is none.</returns>
    public async Task<string> ReadLogAsync(CriuImageDirectory images, CriuOperation operation, CancellationToken cancellationToken = default)
    {
        if (images is null)
        {
            throw new ArgumentNullException(nameof(images));
        }

        var path = operation switch
        {
            CriuOperation.Dump => images.DumpLog,
            CriuOperation.Restore => images.RestoreLog,
            _ => throw new ArgumentOutOfRangeException(nameof(operation), operation, "Only dumps and restores keep a log."),
        };
        var result = await Connection.RunAsync(LogTailCommand(path), cancellationToken).ConfigureAwait(false);
        return result.Text;
    }

    /// <summary>Removes an image directory (and any unfinished incoming copy of it).</summary>
    /// <param name="images">The directory.</param>
    /// <param name="cancellationToken">Stops the command.</param>
    /// <returns>True when something was removed.</returns>
    public async Task<bool> RemoveImagesAsync(CriuImageDirectory images, CancellationToken cancellationToken = default)
    {
        if (images is null)
        {
            throw new ArgumentNullException(nameof(images));
        }

        var result = await Connection.RunAsync(RemoteCommand.Create("sh", "-c", RemoveScript, "sh", images.Path), cancellationToken).ConfigureAwait(false);
        return result.Text.Trim() == "removed";
    }

    /// <summary>A short description: the host.</summary>
    /// <returns>The description.</returns>
    public override string ToString() => "criu on " + Connection.Destination;

    /// <summary>The command <see cref="DumpAsync"/> runs: the check-and-prepare script, then the exact criu argv.</summary>
    internal static RemoteCommand DumpCommand(CriuDumpRequest request)
    {
        if (request is null)
        {
            throw new ArgumentNullException(nameof(request));
        }

        return RemoteCommand.Create(new[]
        {
            "sh", "-c", DumpScript, "sh",
            request.Process.Pid.ToString(CultureInfo.InvariantCulture),
            request.Process.StartTime.ToString(CultureInfo.InvariantCulture),
            request.Images.Path,
            string.Join("\n", request.CarriedFiles),
        }.Concat(CriuCommands.Dump(request)));
    }

    /// <summary>The command <see cref="RestoreAsync"/> runs: the prepare script, then the exact criu argv.</summary>
    internal static RemoteCommand RestoreCommand(CriuRestoreRequest request)
    {
        if (request is null)
        {
            throw new ArgumentNullException(nameof(request));
        }

        return RemoteCommand.Create(new[] { "sh", "-c", RestoreScript, "sh", request.Images.Path, request.RecordFile ?? "" }.Concat(CriuCommands.Restore(request)));
    }

    /// <summary>Reads the check script's output.</summary>
    internal static CriuHostCheck ParseCheck(string host, string output)
    {
        KernelRelease? kernel = null;
        CriuVersion? version = null;
        var missing = false;
        (int Status, string Text)? check = null;
        (int Status, string Text)? preDump = null;
        var versionText = "";
        foreach (var line in output.Split('\n'))
        {
            var words = line.TrimEnd('\r').Split(Space, 3);
            switch (words[0])
            {
                case "kernel" when words.Length >= 2:
                    try
                    {
                        kernel = KernelRelease.Parse(line.Substring("kernel ".Length));
                    }
                    catch (FormatException)
                    {
                        kernel = null;
                    }

                    break;
                case "missing":
                    missing = true;
                    break;
                case "version" when words.Length >= 2:
                    versionText = words.Length == 3 ? Decode(words[2]) : "";
                    version = CriuVersion.TryParse(versionText, out var parsed) ? parsed : null;
                    break;
                case "check" when words.Length >= 2:
                    check = (Status(words[1]), words.Length == 3 ? Decode(words[2]) : "");
                    break;
                case "predump" when words.Length >= 2:
                    preDump = (Status(words[1]), words.Length == 3 ? Decode(words[2]) : "");
                    break;
            }
        }

        var checks = new List<PreflightCheck>();
        var kernelText = kernel is null ? "an unrecognised kernel" : "kernel " + kernel.Text;
        if (missing)
        {
            checks.Add(PreflightCheck.Fail("CriuVersion", $"CRIU is not installed ({kernelText}); install CRIU 4.2 or later.", host));
        }
        else if (version is null)
        {
            checks.Add(PreflightCheck.Fail("CriuVersion",
                $"criu --version printed no version ({kernelText}): {RemoteException.Excerpt(versionText, 300)}", host));
        }
        else if (kernel is not null && kernel.RefusesPassCredOnInetSockets && !version.IsAtLeast(CriuVersion.TcpOnNewKernels))
        {
            checks.Add(PreflightCheck.Fail("CriuVersion",
                $"CRIU {version} cannot dump a process holding a TCP socket on kernel {kernel.Text} (6.16 and later refuse SO_PASSCRED on " +
                $"non-Unix sockets); install CRIU {CriuVersion.TcpOnNewKernels} or later.", host));
        }
        else
        {
            checks.Add(PreflightCheck.Pass("CriuVersion", $"CRIU {version} on {kernelText}.", host));
        }

        var checkPassed = check is { Status: 0 };
        if (!missing)
        {
            checks.Add(checkPassed
                ? PreflightCheck.Pass("CriuCheck", "criu check: " + FirstLine(check!.Value.Text, "looks good"), host)
                : PreflightCheck.Fail("CriuCheck",
                    $"criu check failed{(check is { } c ? $" with exit status {c.Status}: {RemoteException.Excerpt(c.Text, 600)}" : "")}; " +
                    "the kernel lacks something CRIU needs, or CRIU lacks privileges (it needs root or CAP_CHECKPOINT_RESTORE).", host));
        }

        var canPreDump = preDump is { Status: 0 };
        if (!missing)
        {
            // Informational: without dirty-page tracking the engine does one final dump, so this never fails a preflight.
            checks.Add(PreflightCheck.Pass("CriuPreDump", canPreDump
                ? "Memory can be pre-copied while the workload runs (mem_dirty_track is available)."
                : "No pre-copy: the kernel does not track dirty pages (mem_dirty_track is unavailable), so the workload is frozen " +
                  "while all its memory is dumped and shipped.", host));
        }

        return new CriuHostCheck(host, version, kernel, checkPassed, canPreDump, checks);
    }

    internal static RemoteCommand LogTailCommand(string path) =>
        RemoteCommand.Create("sh", "-c", LogTailScript, "sh", path, CriuLog.TailBytes.ToString(CultureInfo.InvariantCulture));

    private static bool IsUnsupported(string text) =>
        Unsupported.Any(u => text.IndexOf(u, StringComparison.OrdinalIgnoreCase) >= 0);

    private static int Status(string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var status) ? status : -1;

    private static string FirstLine(string text, string fallback)
    {
        var line = (text ?? "").Trim().Split('\n')[0].Trim();
        return line.Length == 0 ? fallback : line;
    }

    private static string Decode(string base64)
    {
        try
        {
            return Encoding.UTF8.GetString(Convert.FromBase64String(base64.Trim()));
        }
        catch (FormatException)
        {
            return base64;
        }
    }

    /// <summary>A <see cref="CriuException"/> for a failed dump or restore, quoting CRIU's log (fetched) or the script's own message.</summary>
    private async Task<CriuException> FailureAsync(CriuOperation operation, RemoteResult result, string logPath, CancellationToken cancellationToken)
    {
        var verb = operation == CriuOperation.Dump ? "dump" : "restore";
        if (result.ExitCode is PreconditionFailed or CarriedFilesFailed or RestoredProcessMissing)
        {
            return new CriuException(Host, operation, result.Command, result.ExitCode,
                RemoteException.Excerpt(result.StandardError, 600), "");
        }

        string log;
        try
        {
            log = CriuLog.Excerpt((await Connection.RunAsync(LogTailCommand(logPath), cancellationToken).ConfigureAwait(false)).Text);
        }
        catch (RemoteException e)
        {
            log = $"(the log {logPath} could not be read: {e.Message})";
        }

        if (log.Length == 0)
        {
            log = RemoteException.Excerpt(result.StandardError);
        }

        return new CriuException(Host, operation, result.Command, result.ExitCode,
            $"criu {verb} failed; the images and {logPath} are kept on the host. From its log:", log);
    }
}
