using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using MigrationTools.Engine.Remote;

namespace MigrationTools.Engine.Workloads;

/// <summary>
/// Starts, inspects and stops workloads on one host through its <see cref="SshConnection"/>. A workload runs
/// detached as the init of its own PID namespace and as a session leader, which is what CRIU needs to dump it
/// and to restore it anywhere without PID clashes. Its root process is recorded with its start time, and every
/// signal goes to that recorded process only after the start time is checked.
/// </summary>
/// <remarks>
/// Layout on the host (see <see cref="WorkloadPaths"/>): <c>&lt;runtime&gt;/&lt;name&gt;/pid</c> holds
/// <c>"PID START"</c>; <c>&lt;runtime&gt;/&lt;name&gt;/output.log</c> receives standard output and error.
/// Safe for concurrent use on different workloads.
/// </remarks>
public sealed class WorkloadRuntime
{
    /// <summary>The inner script, run as PID 1 of the new namespace: records itself, then becomes the workload.</summary>
    /// <remarks>
    /// <c>/proc</c> is still the host's, so <c>/proc/self</c> names this process by its host PID. <c>read</c> is a
    /// builtin, so it is this process, not a child, that reads it. <c>exec</c> keeps the PID and start time.
    /// </remarks>
    internal const string InitScript = """
        d=$1; shift
        { read -r s < /proc/self/stat; } || exit 1
        p=${s%% *}; r=${s##*) }
        f() { shift 19; t=$1; }
        set -f; f $r; set +f
        printf '%s %s\n' "$p" "$t" > "$d/pid.new" && mv -f -- "$d/pid.new" "$d/pid" || exit 1
        exec setsid -- "$@"
        """;

    /// <summary>
    /// $1 workload runtime directory, $2 working directory, $3 <see cref="InitScript"/>, $4 count of NAME=VALUE
    /// words that follow, then the command. Prints <c>"PID START"</c>.
    /// </summary>
    /// <remarks>
    /// <c>setsid -f</c> puts the tree in a session of its own, out of reach of the remote wrapper's watchdog, which
    /// ends the command's process group when the ssh channel closes. Descriptors above 2 are closed before the
    /// fork: one pointing outside the host's mount namespace makes <c>criu dump</c> fail. <c>sh</c> can name only
    /// descriptors 0-9, so a higher inherited one is refused rather than left in the workload.
    /// </remarks>
    internal const string StartScript = ProcessTreeScripts.Functions + """
        d=$1; w=$2; init=$3; n=$4; shift 4
        while [ "$n" -gt 0 ]; do export "$1" || exit 1; shift; n=$((n - 1)); done
        umask 077
        mkdir -p -- "$d" || exit 1
        if { read -r pid start < "$d/pid"; } 2>/dev/null && mt_alive "$pid" "$start"; then
            echo "it is already running as process $pid" >&2; exit 3
        fi
        rm -f -- "$d/pid" "$d/pid.new"
        cd -- "$w" || exit 1
        exec 3>&- 4>&- 5>&- 6>&- 7>&- 8>&- 9>&-
        for f in /proc/$$/fd/*; do
            f=${f##*/}
            if [ "$f" -gt 9 ] 2>/dev/null; then
                echo "the session passes descriptor $f, which sh cannot close and criu could not dump" >&2; exit 1
            fi
        done
        setsid -f unshare --pid --fork -- sh -c "$init" sh "$d" "$@" </dev/null >>"$d/output.log" 2>&1 || exit 1
        i=0
        while ! { read -r pid start < "$d/pid"; } 2>/dev/null; do
            i=$((i + 1))
            if [ $i -gt 200 ]; then
                echo "it did not record its PID within 10 seconds; the end of $d/output.log:" >&2
                tail -n 20 -- "$d/output.log" >&2; exit 4
            fi
            sleep 0.05
        done
        # A command that cannot be run exits at once: report that here rather than as a later "stopped".
        sleep 0.2
        if ! mt_alive "$pid" "$start"; then
            rm -f -- "$d/pid"
            echo "it exited at once; the end of $d/output.log:" >&2
            tail -n 20 -- "$d/output.log" >&2; exit 4
        fi
        echo "$pid $start"
        """;

    /// <summary>$1 runtime directory, then workload names. Prints <c>"NAME running|frozen PID START"</c> or <c>"NAME stopped"</c> per name.</summary>
    internal const string StatusScript = ProcessTreeScripts.Functions + """
        d=$1; shift
        for n in "$@"; do
            pid=; start=
            { read -r pid start < "$d/$n/pid"; } 2>/dev/null
            if mt_alive "$pid" "$start"; then
                mt_tree "$pid"
                if mt_frozen; then echo "$n frozen $pid $start"; else echo "$n running $pid $start"; fi
            else
                echo "$n stopped"
            fi
        done
        """;

    /// <summary>
    /// $1 PID file, $2 grace period in tenths of a second. Prints <c>absent</c>, <c>terminated</c> or <c>killed</c>.
    /// A frozen tree is killed outright: continuing it to deliver SIGTERM would let it act after its checkpoint.
    /// </summary>
    internal const string StopScript = ProcessTreeScripts.Functions + """
        f=$1; g=$2
        pid=; start=
        { read -r pid start < "$f"; } 2>/dev/null
        if ! mt_alive "$pid" "$start"; then rm -f -- "$f"; echo absent; exit 0; fi
        mt_tree "$pid"
        how=killed
        if [ "$g" -gt 0 ] && ! mt_frozen; then
            kill -s TERM "$pid" 2>/dev/null
            i=0
            while [ $i -lt "$g" ] && mt_alive "$pid" "$start"; do sleep 0.1; i=$((i + 1)); done
            mt_alive "$pid" "$start" || how=terminated
        fi
        if [ $how = killed ]; then
            kill -s KILL "$pid" 2>/dev/null
            # Polled often: during a switch this wait is downtime.
            i=0
            while [ $i -lt 1000 ] && mt_alive "$pid" "$start"; do sleep 0.01; i=$((i + 1)); done
            if mt_alive "$pid" "$start"; then echo "process $pid still runs 10 seconds after SIGKILL" >&2; exit 1; fi
        fi
        rm -f -- "$f"
        echo $how
        """;

    /// <summary>$1 workload runtime directory, $2 PID, $3 start time. Records a running process (such as a restored tree) as the workload's.</summary>
    internal const string AdoptScript = ProcessTreeScripts.Functions + """
        d=$1
        mt_alive "$2" "$3" || { echo "process $2 started at tick $3 is not running" >&2; exit 3; }
        umask 077
        mkdir -p -- "$d" || exit 1
        printf '%s %s\n' "$2" "$3" > "$d/pid.new" && mv -f -- "$d/pid.new" "$d/pid"
        """;


    /// <summary>Creates a runtime over <paramref name="connection"/>, which it uses but does not own.</summary>
    /// <param name="connection">The host's connection.</param>
    /// <param name="paths">Where the host keeps runtime files; <see langword="null"/> for <see cref="WorkloadPaths.Default"/>.</param>
    public WorkloadRuntime(SshConnection connection, WorkloadPaths? paths = null)
    {
        Connection = connection ?? throw new ArgumentNullException(nameof(connection));
        Paths = paths ?? WorkloadPaths.Default;
    }

    /// <summary>The connection commands run through.</summary>
    public SshConnection Connection { get; }

    /// <summary>Where the host keeps runtime files.</summary>
    public WorkloadPaths Paths { get; }

    /// <summary>
    /// Starts a workload detached (<c>setsid -f unshare --pid --fork … setsid -- command</c>) in its working
    /// directory with its environment, standard input from <c>/dev/null</c> and output appended to its log.
    /// </summary>
    /// <param name="manifest">The workload.</param>
    /// <param name="cancellationToken">Stops waiting; a workload already forked keeps running.</param>
    /// <returns>Its root process, recorded in its PID file.</returns>
    /// <exception cref="WorkloadException">It is already running, or it could not be started or exited at once; the message quotes its log.</exception>
    public async Task<WorkloadProcess> StartAsync(WorkloadManifest manifest, CancellationToken cancellationToken = default)
    {
        var result = WorkloadException.Check(
            await Connection.ExecuteAsync(StartCommand(manifest, Paths), cancellationToken).ConfigureAwait(false),
            "Starting workload " + manifest.Name);
        return WorkloadProcess.TryParse(result.Text)
            ?? throw new FormatException($"Starting {manifest.Name} on {result.Host} printed {SafeText.Show(result.Text.Trim())}, not \"PID START\".");
    }

    /// <summary>The state of one workload.</summary>
    /// <param name="name">The workload.</param>
    /// <param name="cancellationToken">Stops the command.</param>
    /// <returns>Its status; <see cref="WorkloadState.Stopped"/> when it has no live recorded process.</returns>
    public async Task<WorkloadStatus> GetStatusAsync(WorkloadName name, CancellationToken cancellationToken = default) =>
        (await GetStatusesAsync(new[] { name ?? throw new ArgumentNullException(nameof(name)) }, cancellationToken).ConfigureAwait(false))[0];

    /// <summary>The states of several workloads, in one command.</summary>
    /// <param name="names">The workloads.</param>
    /// <param name="cancellationToken">Stops the command.</param>
    /// <returns>Their statuses, in the order given.</returns>
    public async Task<IReadOnlyList<WorkloadStatus>> GetStatusesAsync(IEnumerable<WorkloadName> names, CancellationToken cancellationToken = default)
    {
        var list = (names ?? throw new ArgumentNullException(nameof(names))).ToArray();
        if (list.Length == 0)
        {
            return Array.Empty<WorkloadStatus>();
        }

        var result = WorkloadException.Check(
            await Connection.ExecuteAsync(StatusCommand(list, Paths), cancellationToken).ConfigureAwait(false),
            "Reading the state of workloads " + string.Join(", ", list.Select(n => n.Value)));
        return ParseStatuses(list, result.Text, result.Host);
    }

    /// <summary>
    /// Stops a workload: SIGTERM to its tree's init, up to <paramref name="gracePeriod"/> for it to end, then
    /// SIGKILL, which ends every process of its PID namespace. A frozen tree is killed at once. The PID file is removed.
    /// </summary>
    /// <param name="name">The workload.</param>
    /// <param name="gracePeriod">How long SIGTERM has; <see cref="TimeSpan.Zero"/> kills at once. Within <see cref="WorkloadStopTimeout"/>'s limits.</param>
    /// <param name="cancellationToken">Stops the command.</param>
    /// <returns>How it ended, or <see cref="WorkloadStopResult.NotRunning"/>.</returns>
    public async Task<WorkloadStopResult> StopAsync(WorkloadName name, TimeSpan gracePeriod, CancellationToken cancellationToken = default)
    {
        if (!WorkloadStopTimeout.IsValid(gracePeriod))
        {
            throw new ArgumentOutOfRangeException(
                nameof(gracePeriod), gracePeriod, $"Give a grace period from {WorkloadStopTimeout.MinSeconds} to {WorkloadStopTimeout.MaxSeconds} seconds.");
        }

        var result = WorkloadException.Check(
            await Connection.ExecuteAsync(StopCommand(name, gracePeriod, Paths), cancellationToken).ConfigureAwait(false),
            "Stopping workload " + name);
        return result.Text.Trim() switch
        {
            "absent" => WorkloadStopResult.NotRunning,
            "terminated" => WorkloadStopResult.Terminated,
            "killed" => WorkloadStopResult.Killed,
            var other => throw new FormatException($"Stopping {name} on {result.Host} printed {SafeText.Show(other)}."),
        };
    }

    /// <summary>
    /// Ends a workload's tree with SIGKILL at once, running or frozen, without ever letting it run again: the step
    /// that ends a checkpointed source once its target holds the workload (or must, as when the source's sockets
    /// would clash with the restored ones).
    /// </summary>
    /// <param name="name">The workload.</param>
    /// <param name="cancellationToken">Stops the command.</param>
    /// <returns><see cref="WorkloadStopResult.Killed"/>, or <see cref="WorkloadStopResult.NotRunning"/>.</returns>
    public Task<WorkloadStopResult> KillAsync(WorkloadName name, CancellationToken cancellationToken = default) =>
        StopAsync(name, TimeSpan.Zero, cancellationToken);

    /// <summary>Records a running process, such as a tree CRIU restored, as the workload's, exactly as a start would.</summary>
    /// <param name="name">The workload.</param>
    /// <param name="process">The root process; its start time is checked.</param>
    /// <param name="cancellationToken">Stops the command.</param>
    /// <returns>A task that completes when the PID file is written.</returns>
    /// <exception cref="WorkloadException">The process is not running (exit status 3).</exception>
    public async Task AdoptAsync(WorkloadName name, WorkloadProcess process, CancellationToken cancellationToken = default)
    {
        if (process is null)
        {
            throw new ArgumentNullException(nameof(process));
        }

        var command = RemoteCommand.Create(
            "sh", "-c", AdoptScript, "sh", Paths.WorkloadDirectory(name),
            process.Pid.ToString(CultureInfo.InvariantCulture), process.StartTime.ToString(CultureInfo.InvariantCulture));
        WorkloadException.Check(
            await Connection.ExecuteAsync(command, cancellationToken).ConfigureAwait(false),
            $"Recording process {process} as workload {name}");
    }

    /// <summary>A short description: the host.</summary>
    /// <returns>The description.</returns>
    public override string ToString() => "workloads on " + Connection.Destination;

    /// <summary>The start command for <paramref name="manifest"/>.</summary>
    internal static RemoteCommand StartCommand(WorkloadManifest manifest, WorkloadPaths paths)
    {
        if (manifest is null)
        {
            throw new ArgumentNullException(nameof(manifest));
        }

        var argv = new List<string>
        {
            "sh", "-c", StartScript, "sh",
            paths.WorkloadDirectory(manifest.Name),
            manifest.WorkingDirectory,
            InitScript,
            manifest.Environment.Count.ToString(CultureInfo.InvariantCulture),
        };
        argv.AddRange(manifest.Environment.Select(v => v.Key + "=" + v.Value));
        argv.AddRange(manifest.Command);
        return RemoteCommand.Create(argv);
    }

    /// <summary>The status command for <paramref name="names"/>.</summary>
    internal static RemoteCommand StatusCommand(IEnumerable<WorkloadName> names, WorkloadPaths paths) =>
        RemoteCommand.Create(new[] { "sh", "-c", StatusScript, "sh", paths.RuntimeDirectory }.Concat(names.Select(n => n.Value)));

    /// <summary>The stop command for <paramref name="name"/>.</summary>
    internal static RemoteCommand StopCommand(WorkloadName name, TimeSpan gracePeriod, WorkloadPaths paths) =>
        RemoteCommand.Create(
            "sh", "-c", StopScript, "sh", paths.PidFile(name),
            ((long)Math.Ceiling(gracePeriod.TotalMilliseconds / 100)).ToString(CultureInfo.InvariantCulture));

    /// <summary>Reads the status script's lines back, one per name asked for.</summary>
    internal static IReadOnlyList<WorkloadStatus> ParseStatuses(IReadOnlyList<WorkloadName> names, string output, string host)
    {
        var byName = new Dictionary<string, WorkloadStatus>(StringComparer.Ordinal);
        foreach (var line in output.Split('\n'))
        {
            var words = line.Trim().Split(' ');
            if (words.Length < 2 || !WorkloadName.TryParse(words[0], out var name))
            {
                continue;
            }

            byName[name!.Value] = words[1] switch
            {
                "stopped" => new WorkloadStatus(name, WorkloadState.Stopped, null),
                "running" or "frozen" when words.Length == 4 && WorkloadProcess.TryParse(words[2] + " " + words[3]) is { } process =>
                    new WorkloadStatus(name, words[1] == "running" ? WorkloadState.Running : WorkloadState.Frozen, process),
                _ => throw new FormatException($"The status of {name} on {host} reads {SafeText.Show(line)}."),
            };
        }

        return names.Select(n => byName.TryGetValue(n.Value, out var status)
            ? status
            : throw new FormatException($"The status command on {host} said nothing about {n}.")).ToArray();
    }
}
