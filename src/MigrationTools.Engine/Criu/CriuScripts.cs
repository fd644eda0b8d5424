using System;
using System.Text;
using MigrationTools.Engine.Workloads;

namespace MigrationTools.Engine.Criu;

/// <summary>
/// The shell scripts <see cref="CriuHost"/> wraps CRIU in (each takes its values as positional parameters, never
/// inside its text), the exit statuses they report a refused precondition with, and the decoding of what they print.
/// </summary>
internal static class CriuScripts
{
    /// <summary>Exit status of the engine's own scripts when a precondition does not hold (wrong process, no images).</summary>
    public const int PreconditionFailed = 125;

    /// <summary>Exit status when the carried files could not be archived or put back.</summary>
    public const int CarriedFilesFailed = 124;

    /// <summary>Exit status when a restore succeeded but its root process cannot be found.</summary>
    public const int RestoredProcessMissing = 123;

    /// <summary>
    /// Prints <c>kernel</c>, <c>version</c>, <c>check</c>, <c>predump</c> and <c>postcopy</c> lines (exit status and
    /// base64-encoded output), then <c>pipemax</c> (fs.pipe-max-size) and <c>capeff</c> (the shell's effective capabilities, hex).
    /// </summary>
    public const string Check = """
        printf 'kernel %s\n' "$(uname -r)"
        if ! command -v criu >/dev/null 2>&1; then echo missing; exit 0; fi
        o=$(criu --version 2>&1); s=$?
        printf 'version %s %s\n' "$s" "$(printf '%s' "$o" | base64 -w0)"
        o=$(criu check 2>&1); s=$?
        printf 'check %s %s\n' "$s" "$(printf '%s' "$o" | base64 -w0)"
        o=$(criu check --feature mem_dirty_track 2>&1); s=$?
        printf 'predump %s %s\n' "$s" "$(printf '%s' "$o" | base64 -w0)"
        o=$(criu check --feature uffd-noncoop 2>&1); s=$?
        printf 'postcopy %s %s\n' "$s" "$(printf '%s' "$o" | base64 -w0)"
        printf 'pipemax %s\n' "$(cat /proc/sys/fs/pipe-max-size 2>/dev/null || echo -)"
        printf 'capeff %s\n' "$(sed -n 's/^CapEff:[[:space:]]*//p' /proc/self/status 2>/dev/null)"
        """;

    /// <summary>Prints <c>image BASE64</c> (the source's cpuinfo.img) or <c>failed STATUS BASE64-OUTPUT</c>.</summary>
    public const string CpuInfoDump = """
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
    public const string CpuInfoCheck = """
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
    public const string Dump = ProcessTreeScripts.Functions + """
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

    /// <summary>
    /// $1 PID, $2 start time, $3 image directory, then the criu pre-dump command. Checks the process, recreates the
    /// directory (0700), pre-dumps, and passes on what CRIU printed on standard output: the statistics
    /// <c>--display-stats</c> prints there, not in its log (<see cref="CriuDumpStatistics"/>).
    /// </summary>
    public const string PreDump = ProcessTreeScripts.Functions + """
        pid=$1; start=$2; d=$3; shift 3
        if ! mt_alive "$pid" "$start"; then
            echo "process $pid started at tick $start is not running: it ended, or its PID now belongs to another process" >&2; exit 125
        fi
        umask 077
        rm -rf -- "$d" && mkdir -p -- "$d" || exit 1
        exec "$@"
        """;

    /// <summary>$1 PID, $2 start time. Sends SIGCONT to every process of the tree; prints how many.</summary>
    public const string Resume = ProcessTreeScripts.Functions + """
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
    public const string Restore = ProcessTreeScripts.Functions + """
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

    /// <summary>
    /// $1 image directory. Prints "PID START" of the tree a restore from it left running, if any: the PID in its
    /// pid file, alive, and the init of its own PID namespace (so a PID reused by an unrelated process never matches).
    /// </summary>
    public const string FindRestored = ProcessTreeScripts.Functions + """
        pid=$(cat -- "$1/restore.pid" 2>/dev/null)
        mt_stat "$pid" || exit 0
        case $mt_state in Z|X|x) exit 0;; esac
        ns=$(grep '^NSpid:' "/proc/$pid/status" 2>/dev/null)
        case $ns in *"	1") echo "$pid $mt_start";; esac
        exit 0
        """;

    /// <summary>
    /// $1 dump, restore or pre-dump, $2 image directory, $3 most seconds to wait. Waits while a <c>criu $1</c> of that
    /// directory or of one of its pre-copy rounds (<c>$2.pre-N</c>) runs, such as one left behind by a controller that
    /// died; prints "running" if it still does.
    /// </summary>
    public const string WaitForOperation = """
        i=0
        while :; do
            busy=
            for f in /proc/[0-9]*/cmdline; do
                c=$(tr '\000' ' ' 2>/dev/null < "$f") || continue
                case $c in "criu $1 "*" $2 "*|*"/criu $1 "*" $2 "*|"criu $1 "*" $2.pre-"*|*"/criu $1 "*" $2.pre-"*) busy=1; break;; esac
            done
            [ -z "$busy" ] && exit 0
            [ $i -ge $(( $3 * 5 )) ] && { echo running; exit 0; }
            sleep 0.2; i=$((i + 1))
        done
        """;

    /// <summary>
    /// $1 image directory, $2 PID, $3 start time of the dumped root. Removes the network lock a dump with
    /// <c>--tcp-established</c> left on this host once the tree is gone: the <c>iptables</c>/<c>ip6tables</c> DROP rules
    /// its log says it inserted (only lines of exactly CRIU's form; each deleted by the same words with <c>-D</c>), and
    /// the <c>inet CRIU-*</c> nftables table named after the dump's run id. Prints <c>released N</c> (rules and tables
    /// removed; 0 when none was left), or <c>nolog</c> when the directory has no dump log.
    /// </summary>
    public const string ReleaseNetworkLock = ProcessTreeScripts.Functions + """
        d=$1
        if mt_alive "$2" "$3"; then
            echo "process $2 still runs; end the frozen tree before releasing its network lock, or it could answer its old connections" >&2
            exit 125
        fi
        [ -f "$d/dump.log" ] || { echo nolog; exit 0; }
        n=0
        rule='^ip6?tables -w -t filter -I (INPUT|OUTPUT) --protocol tcp -m mark ! --mark 0xC114 --source [0-9A-Fa-f.:]+ --sport [0-9]+ --destination [0-9A-Fa-f.:]+ --dport [0-9]+ -j DROP$'
        rules=$(sed -n 's/^.*Running iptables \[\(.*\)\]$/\1/p' "$d/dump.log" | grep -E "$rule")
        set -f
        while IFS= read -r r; do
            [ -n "$r" ] || continue
            set -- $r
            "$1" -w -t filter -D "$6" --protocol tcp -m mark ! --mark 0xC114 --source "${15}" --sport "${17}" \
                --destination "${19}" --dport "${21}" -j DROP 2>/dev/null && n=$((n + 1))
        done <<EOF
        $rules
        EOF
        set +f
        id=$(sed -n '1,20s/^.*CRIU run id = \([0-9a-f-]\{36\}\)$/\1/p' "$d/dump.log" | head -n 1)
        if [ -n "$id" ] && command -v nft >/dev/null 2>&1; then
            for t in $(nft list tables inet 2>/dev/null | sed -n 's/^table inet \(CRIU-[0-9a-f-]\{8,\}\)$/\1/p'); do
                case $id in "${t#CRIU-}"*) nft delete table inet "$t" && n=$((n + 1));; esac
            done
        fi
        echo "released $n"
        """;

    /// <summary>$1 log file, $2 most bytes. Prints the end of the log; nothing when there is none.</summary>
    public const string LogTail = """
        [ -f "$1" ] || exit 0
        exec tail -c "$2" -- "$1"
        """;

    /// <summary>
    /// $1 image directory. Removes it, any unfinished incoming copy of it, and the pre-copy rounds it was chained to
    /// (<c>$1.pre-N</c>); prints <c>removed</c> when there was one.
    /// </summary>
    public const string Remove = """
        found=
        for x in "$1" "$1".incoming.* "$1".pre-*; do
            [ -e "$x" ] || continue
            rm -rf -- "$x" || exit 1
            found=1
        done
        [ -n "$found" ] && echo removed
        exit 0
        """;

    /// <summary>
    /// $1 image directory. Removes its pre-copy rounds (<c>$1.pre-N</c>, with unfinished incoming copies), not the
    /// directory itself; prints how many it removed.
    /// </summary>
    public const string RemovePreCopyRounds = """
        n=0
        for x in "$1".pre-*; do
            [ -e "$x" ] || continue
            rm -rf -- "$x" || exit 1
            n=$((n + 1))
        done
        echo "$n"
        """;

    /// <summary>Decodes a base64 word the scripts print; a word that is not base64 is returned as it is.</summary>
    public static string Decode(string base64)
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
}
