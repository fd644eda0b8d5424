namespace MigrationTools.Engine.Privilege;

/// <summary>
/// The <c>sh</c> functions the host helper's argument checks are written with. The policy's own values (dataset
/// roots, directories) come from <see cref="HostHelperScript"/>: <c>in_roots</c>, <c>below_roots</c>, <c>$images</c>,
/// <c>$manifests</c>, <c>$runtime</c> and the engine's constant scripts passed as arguments (<c>$const_…</c>).
/// </summary>
internal static class HostHelperLibrary
{
    /// <summary>The functions; every check ends in <c>refuse</c> (status 126) or returns.</summary>
    public const string Functions = """
        refuse() { printf 'mt-host: refused %s: %s\n' "$mt_verb" "$*" >&2; exit 126; }
        # Untrusted text in a message: anything unusual becomes '?', so it cannot forge lines.
        show() { printf "'%s'" "$(printf '%s' "$1" | tr -c 'A-Za-z0-9_.:/@=,+%# -' '?')"; }
        is_number() { case $1 in ''|*[!0-9]*) return 1 ;; esac; [ ${#1} -le 18 ]; }
        is_component() {
            case $1 in ''|.|..|-*|*[!A-Za-z0-9_.:-]*) return 1 ;; esac
            [ ${#1} -le 255 ]
        }
        is_dataset() {
            case $1 in ''|-*|/*|*/|*//*|*[!A-Za-z0-9_.:/-]*) return 1 ;; esac
            case /$1/ in */./*|*/../*) return 1 ;; esac
            [ ${#1} -le 255 ]
        }
        is_snapshot() {
            case $1 in *@*) ;; *) return 1 ;; esac
            is_dataset "${1%%@*}" && is_component "${1#*@}"
        }
        is_name() { is_dataset "$1" || is_snapshot "$1"; }
        is_list() { case $1 in ''|,*|*,|*,,*|*[!a-z0-9_.:,]*) return 1 ;; esac; }
        is_user_property() {
            case $1 in *:*) ;; *) return 1 ;; esac
            case $1 in -*|*[!a-z0-9_.:-]*) return 1 ;; esac
        }
        is_text() {
            case $1 in *[![:print:]]*) return 1 ;; esac
            [ ${#1} -le 8192 ]
        }
        is_token() { case $1 in [0-9]*-*) ;; *) return 1 ;; esac; case $1 in *[!0-9a-fA-F-]*) return 1 ;; esac; }
        need_dataset() { is_dataset "$1" && in_roots "$1" || refuse "dataset $(show "$1") is not under the dataset roots ($roots)"; }
        need_snapshot() {
            is_snapshot "$1" && in_roots "${1%%@*}" || refuse "snapshot $(show "$1") is not a snapshot under the dataset roots ($roots)"
        }
        need_destroyable() {
            if is_snapshot "$1"; then need_snapshot "$1"; return; fi
            is_dataset "$1" && below_roots "$1" || refuse "$(show "$1") is neither a snapshot under the dataset roots nor a dataset below one ($roots)"
        }
        need_name() { is_name "$1" || refuse "$(show "$1") is not a dataset or snapshot name"; }
        need_tag() { is_component "$1" || refuse "hold tag $(show "$1")"; }
        need_image() {
            case $1 in "$images"/*) ;; *) refuse "$(show "$1") is not a checkpoint image directory below $images" ;; esac
            case ${1#"$images"/} in ''|.*|*/*|*[!A-Za-z0-9_.-]*) refuse "$(show "$1") is not a checkpoint image directory below $images" ;; esac
        }
        need_image_file() {
            need_image "${1%/*}"
            is_component "${1##*/}" || refuse "$(show "$1") is not a file in a checkpoint image directory"
        }
        is_workload() { case $1 in ''|.*|-*|*[!A-Za-z0-9_.-]*) return 1 ;; esac; [ ${#1} -le 64 ]; }
        need_workload() { is_workload "$1" || refuse "workload name $(show "$1")"; }
        need_workload_dir() {
            case $1 in "$runtime"/*) need_workload "${1#"$runtime"/}" ;; *) refuse "$(show "$1") is not a workload directory below $runtime" ;; esac
        }
        need_pid_file() {
            case $1 in "$runtime"/*/pid) need_workload_dir "${1%/pid}" ;; *) refuse "$(show "$1") is not a workload PID file below $runtime" ;; esac
        }
        need_manifest_file() {
            case $1 in
                "$manifests"/*.json) need_workload "${1#"$manifests"/}" ;;
                "$manifests"/*.migration) need_workload "${1#"$manifests"/}" ;;
                *) refuse "$(show "$1") is not a manifest or claim file in $manifests" ;;
            esac
        }
        need_number() { is_number "$1" || refuse "$(show "$1") is not a number"; }
        need_path() {
            case $1 in /*) ;; *) refuse "$(show "$1") is not an absolute path" ;; esac
            case /$1/ in */./*|*/../*) refuse "$(show "$1") has a . or .. component" ;; esac
            is_text "$1" || refuse "$(show "$1") contains control characters"
        }
        need_migration() { case $1 in m-[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]) ;; *) refuse "migration id $(show "$1")" ;; esac; }
        need_same() { [ "$1" = "$2" ] || refuse "$3 is not the engine's own"; }
        # Four words per service address: family, interface, address, prefix length.
        need_addresses() {
            [ $# -gt 0 ] && [ $(($# % 4)) -eq 0 ] || refuse "expects four words per address"
            while [ $# -gt 0 ]; do
                case $1 in 4|6) ;; *) refuse "address family $(show "$1")" ;; esac
                case $2 in ''|.|..|-*|*[!A-Za-z0-9_.:@-]*) refuse "interface $(show "$2")" ;; esac
                case $3 in ''|*[!0-9A-Fa-f.:]*) refuse "address $(show "$3")" ;; esac
                need_number "$4"
                shift 4
            done
        }
        # $1 the criu subcommands allowed, then criu's argument list: only the options the engine uses, directories
        # only checkpoint image directories.
        check_criu() {
            allowed=$1
            shift
            [ "${1-}" = criu ] || refuse "runs only criu here"
            case " $allowed " in *" ${2-} "*) ;; *) refuse "criu $(show "${2-}") is not allowed here" ;; esac
            shift 2
            while [ $# -gt 0 ]; do
                case $1 in
                    -v4|-d|--leave-stopped|--track-mem|--display-stats|--lazy-pages|--page-server) ;;
                    --tcp-established|--tcp-close|--skip-in-flight|--file-locks) ;;
                    --external=*) is_text "${1#--external=}" || refuse "criu $(show "$1")" ;;
                    -t|--port|--status-fd) [ $# -ge 2 ] && is_number "$2" || refuse "criu $1 expects a number"; shift ;;
                    -D) [ $# -ge 2 ] || refuse "criu -D expects a directory"; need_image "$2"; shift ;;
                    -o) [ $# -ge 2 ] && is_component "$2" || refuse "criu -o expects a file name"; shift ;;
                    --pidfile) [ $# -ge 2 ] || refuse "criu --pidfile expects a file"; need_image_file "$2"; shift ;;
                    --prev-images-dir)
                        [ $# -ge 2 ] || refuse "criu --prev-images-dir expects a directory"
                        case $2 in ../*) need_image "$images/${2#../}" ;; *) refuse "criu --prev-images-dir $(show "$2")" ;; esac
                        shift ;;
                    --address) [ $# -ge 2 ] || refuse "criu --address expects an address"; case $2 in ''|*[!0-9A-Fa-f.:]*) refuse "criu --address $(show "$2")" ;; esac; shift ;;
                    --network-lock) [ "${2-}" = nftables ] || refuse "criu --network-lock expects nftables"; shift ;;
                    *) refuse "criu option $(show "$1")" ;;
                esac
                shift
            done
        }
        """;
}
