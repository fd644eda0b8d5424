namespace MigrationTools.Engine.Workloads;

/// <summary>
/// POSIX <c>sh</c> functions that find and inspect a workload's process tree through <c>/proc</c>, shared by the
/// scripts that start, stop, freeze and resume workloads. Values reach them only as arguments.
/// </summary>
/// <remarks>
/// They read <c>/proc/PID/stat</c> with the <c>read</c> builtin, so walking every process costs no fork. A stat line
/// is <c>pid (comm) state ppid ...</c>; the command name may hold spaces and parentheses, so the fields are taken
/// after the last <c>") "</c>.
/// </remarks>
internal static class ProcessTreeScripts
{
    /// <summary>
    /// <c>mt_stat PID</c> sets <c>mt_state</c> (the state letter) and <c>mt_start</c> (field 22), failing when there
    /// is no such process. <c>mt_alive PID START</c> succeeds when that PID is the process started at START and is
    /// not a zombie. <c>mt_tree PID</c> sets <c>mt_t</c> to <c>" PID child grandchild ... "</c> (by parent PID).
    /// <c>mt_frozen</c> succeeds when every task (thread) of every process in <c>mt_t</c> is stopped (T or t).
    /// </summary>
    public const string Functions = """
        mt_pick() { mt_state=$1; shift 19; mt_start=$1; }
        mt_stat() {
            case $1 in ''|*[!0-9]*) return 1;; esac
            { read -r mt_l < "/proc/$1/stat"; } 2>/dev/null || return 1
            mt_r=${mt_l##*) }
            set -f; mt_pick $mt_r; set +f
        }
        mt_alive() {
            mt_stat "$1" || return 1
            [ "$mt_start" = "$2" ] || return 1
            case $mt_state in Z|X|x) return 1;; esac
            return 0
        }
        mt_tree() {
            mt_t=" $1 "
            while :; do
                mt_c=0
                for mt_f in /proc/[0-9]*/stat; do
                    { read -r mt_l < "$mt_f"; } 2>/dev/null || continue
                    mt_p=${mt_l%% *}; mt_r=${mt_l##*) }; mt_q=${mt_r#* }; mt_q=${mt_q%% *}
                    case $mt_t in *" $mt_p "*) continue;; esac
                    case $mt_t in *" $mt_q "*) mt_t="$mt_t$mt_p "; mt_c=1;; esac
                done
                [ $mt_c = 0 ] && return 0
            done
        }
        mt_frozen() {
            for mt_p in $mt_t; do
                for mt_f in /proc/$mt_p/task/[0-9]*/stat; do
                    { read -r mt_l < "$mt_f"; } 2>/dev/null || continue
                    mt_r=${mt_l##*) }
                    case $mt_r in T*|t*|Z*|X*|x*) ;; *) return 1;; esac
                done
            done
            return 0
        }

        """;
}
