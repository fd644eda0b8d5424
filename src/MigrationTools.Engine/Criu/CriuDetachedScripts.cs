namespace MigrationTools.Engine.Criu;

/// <summary>
/// The shell scripts that run CRIU operations which outlive the command that starts them (a page server, a post-copy
/// dump serving pages, a lazy-pages daemon), and read how they stand. Each runs under a small runner, started with
/// <c>setsid -f</c>, that keeps in <c>DIR/.operations/NAME.*</c>: <c>ready</c> (CRIU's <c>--status-fd 3</c> byte),
/// <c>pid</c> (<c>"PID START"</c> of the criu process), <c>status</c> (its exit status, once it ended) and <c>out</c>;
/// so a controller that died and runs again reads how they ended.
/// </summary>
internal static class CriuDetachedScripts
{
    /// <summary>Exit status when the operation ended before it was ready.</summary>
    public const int EndedBeforeReady = 121;

    /// <summary>Exit status when the operation was not ready in time (it is then ended).</summary>
    public const int NotReadyInTime = 120;

    /// <summary>Exit status when the operation is ready but its log names no port.</summary>
    public const int NoPort = 119;

    /// <summary>The name of a streamed dump's page server on the destination.</summary>
    public const string PageServer = "page-server";

    /// <summary>The name of a post-copy dump on the source.</summary>
    public const string LazyDump = "lazy-dump";

    /// <summary>The name of the lazy-pages daemon on the destination.</summary>
    public const string LazyPages = "lazy-pages";

    /// <summary>
    /// <c>mt_detach DIR NAME CMD...</c> starts CMD under the runner; <c>mt_ready DIR NAME SECONDS</c> returns 0 once it
    /// is ready, 1 when it ended first, 2 on timeout; <c>mt_started DIR NAME SECONDS LOG</c> waits for readiness
    /// (exiting 121 or 120 otherwise) and sets <c>mt_port</c> from the log's <c>Using N port</c>; <c>mt_end DIR NAME</c>
    /// ends it (TERM, then KILL after 2.5 s) if it runs, by its recorded PID and start time, and prints <c>stopped</c>
    /// or <c>none</c>; <c>mt_outcome DIR NAME SECONDS</c> waits up to SECONDS for it to end and prints
    /// <c>finished STATUS</c>, <c>running</c>, <c>missing</c> or <c>vanished</c> (gone without a status).
    /// Needs <see cref="Workloads.ProcessTreeScripts.Functions"/>.
    /// </summary>
    public const string Functions = """
        mt_runner='o=$1; n=$2; shift 2
        "$@" 3>"$o/$n.ready" </dev/null >"$o/$n.out" 2>&1 &
        c=$!; s=-
        { read -r l < "/proc/$c/stat"; } 2>/dev/null && { r=${l##*) }; set -f; set -- $r; set +f; s=${20}; }
        printf "%s %s\n" "$c" "$s" > "$o/$n.pid.new" && mv -f -- "$o/$n.pid.new" "$o/$n.pid"
        wait "$c"; x=$?
        printf "%s\n" "$x" > "$o/$n.status.new" && mv -f -- "$o/$n.status.new" "$o/$n.status"'
        mt_detach() {
            mt_o=$1/.operations; mt_n=$2; shift 2
            mkdir -p -- "$mt_o" || return 1
            rm -f -- "$mt_o/$mt_n.pid" "$mt_o/$mt_n.status" "$mt_o/$mt_n.out" || return 1
            : > "$mt_o/$mt_n.ready" || return 1
            setsid -f sh -c "$mt_runner" sh "$mt_o" "$mt_n" "$@" </dev/null >/dev/null 2>&1
        }
        mt_ready() {
            mt_o=$1/.operations; mt_i=0
            while :; do
                [ -s "$mt_o/$2.ready" ] && return 0
                [ -f "$mt_o/$2.status" ] && return 1
                [ "$mt_i" -ge $(( $3 * 20 )) ] && return 2
                sleep 0.05; mt_i=$((mt_i + 1))
            done
        }
        mt_end() {
            { read -r mt_p mt_s < "$1/.operations/$2.pid"; } 2>/dev/null || { echo none; return 0; }
            mt_alive "$mt_p" "$mt_s" || { echo none; return 0; }
            kill -s TERM "$mt_p" 2>/dev/null
            mt_i=0
            while mt_alive "$mt_p" "$mt_s"; do
                [ $mt_i -eq 50 ] && kill -s KILL "$mt_p" 2>/dev/null
                [ $mt_i -ge 100 ] && { echo "criu $2 (process $mt_p) would not end" >&2; return 1; }
                sleep 0.05; mt_i=$((mt_i + 1))
            done
            echo stopped
        }
        mt_started() {
            mt_ready "$1" "$2" "$3"
            case $? in
                1) read -r mt_x < "$1/.operations/$2.status"; echo "criu $2 ended with exit status $mt_x before it was ready" >&2; exit 121;;
                2) mt_end "$1" "$2" >/dev/null; echo "criu $2 was not ready after $3 s, and was ended" >&2; exit 120;;
            esac
            mt_port=$(sed -n 's/^.* Using \([0-9][0-9]*\) port$/\1/p' "$4" 2>/dev/null | tail -n 1)
        }
        mt_outcome() {
            mt_o=$1/.operations; mt_i=0; mt_gone=0
            while :; do
                if [ -f "$mt_o/$2.status" ]; then read -r mt_x < "$mt_o/$2.status"; echo "finished $mt_x"; return 0; fi
                [ -f "$mt_o/$2.ready" ] || { echo missing; return 0; }
                if { read -r mt_p mt_s < "$mt_o/$2.pid"; } 2>/dev/null && ! mt_alive "$mt_p" "$mt_s"; then
                    # The runner records the status as soon as criu ends; without one after 2 s, the runner is gone too.
                    mt_gone=$((mt_gone + 1))
                    [ $mt_gone -ge 10 ] && { echo vanished; return 0; }
                elif [ $mt_i -ge $(( $3 * 5 )) ]; then
                    echo running; return 0
                fi
                sleep 0.2; mt_i=$((mt_i + 1))
            done
        }

        """;

    /// <summary>
    /// $1 image directory, $2 seconds to wait for readiness, then the <c>criu page-server</c> command. Recreates the
    /// directory (0700), starts the page server detached, and prints <c>ready PORT</c> once it listens.
    /// </summary>
    public const string StartPageServer = Workloads.ProcessTreeScripts.Functions + Functions + """
        d=$1; secs=$2; shift 2
        umask 077
        rm -rf -- "$d" && mkdir -p -- "$d" || exit 1
        mt_detach "$d" page-server "$@" || exit 1
        mt_started "$d" page-server "$secs" "$d/page-server.log"
        [ -n "$mt_port" ] || { mt_end "$d" page-server >/dev/null; echo "the page server's log names no port" >&2; exit 119; }
        echo "ready $mt_port"
        """;

    /// <summary>
    /// $1 PID, $2 start time, $3 image directory, $4 carried files (one a line), $5 seconds to wait for readiness,
    /// then the <c>criu dump --lazy-pages</c> command. Checks the process, recreates the directory (0700), starts the
    /// dump detached, waits until it has written the non-memory images and serves the pages, archives the carried
    /// files, and prints <c>ready PORT BYTES</c> (the images' size without logs).
    /// </summary>
    public const string StartLazyDump = Workloads.ProcessTreeScripts.Functions + Functions + """
        pid=$1; start=$2; d=$3; carry=$4; secs=$5; shift 5
        if ! mt_alive "$pid" "$start"; then
            echo "process $pid started at tick $start is not running: it ended, or its PID now belongs to another process" >&2; exit 125
        fi
        umask 077
        rm -rf -- "$d" && mkdir -p -- "$d" || exit 1
        mt_detach "$d" lazy-dump "$@" || exit 1
        mt_started "$d" lazy-dump "$secs" "$d/dump.log"
        [ -n "$mt_port" ] || { mt_end "$d" lazy-dump >/dev/null; echo "the lazy dump's log names no port" >&2; exit 119; }
        if [ -n "$carry" ]; then
            ( set -f; IFS='
        '; exec tar -cPf "$d/carried-files.tar" -- $carry ) ||
                { mt_end "$d" lazy-dump >/dev/null; echo "the files to carry could not be archived; the lazy dump was ended" >&2; exit 124; }
        fi
        b=$(du -sb --exclude=.operations --exclude=dump.log -- "$d" 2>/dev/null) || b=-
        echo "ready $mt_port ${b%%[!0-9-]*}"
        """;

    /// <summary>
    /// $1 image directory, $2 seconds to wait for readiness, then the <c>criu lazy-pages</c> command. Ends an earlier
    /// daemon of the directory, starts this one detached, and prints <c>ready</c> once it waits for the restore.
    /// </summary>
    public const string StartLazyPages = Workloads.ProcessTreeScripts.Functions + Functions + """
        d=$1; secs=$2; shift 2
        [ -f "$d/inventory.img" ] || { echo "there are no images in $d" >&2; exit 125; }
        mt_end "$d" lazy-pages >/dev/null || exit 1
        mt_detach "$d" lazy-pages "$@" || exit 1
        mt_started "$d" lazy-pages "$secs" "$d/lazy-pages.log"
        echo ready
        """;

    /// <summary>$1 image directory, $2 name, $3 most seconds to wait for it to end. Prints its outcome (see <see cref="Functions"/>).</summary>
    public const string Outcome = Workloads.ProcessTreeScripts.Functions + Functions + """
        mt_outcome "$1" "$2" "$3"
        """;

    /// <summary>$1 image directory, $2 name. Ends the operation if it runs; prints <c>stopped</c> or <c>none</c>.</summary>
    public const string Stop = Workloads.ProcessTreeScripts.Functions + Functions + """
        mt_end "$1" "$2"
        """;
}
