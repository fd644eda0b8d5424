using MigrationTools.Engine.Zfs;

namespace MigrationTools.Engine.Privilege;

/// <summary>The ZFS verbs: each runs <c>zfs</c> (or the engine's ZFS script) on datasets under the dataset roots.</summary>
internal static partial class HostVerbs
{
    private const string SendCheck = """
        if [ "${1-}" = -t ]; then
            [ $# -eq 2 ] && is_token "$2" || refuse "expects -t <resume token>"
            return
        fi
        while [ $# -gt 1 ]; do
            case $1 in
                -n|-P|-R|-p|-L|-e|-c) ;;
                -i|-I) shift; need_snapshot "$1" ;;
                *) refuse "option $(show "$1")" ;;
            esac
            shift
        done
        [ $# -eq 1 ] || refuse "expects one snapshot to send"
        need_snapshot "$1"
        """;

    private static HostVerb[] ZfsVerbs() => new[]
    {
        HostVerb.ForBareProgram("zfs-usage", "zfs with no arguments: its usage text tells the host's capabilities", "zfs"),
        HostVerb.ForProgramWithOptionalArguments(
            "zfs-get",
            "zfs get [-H] [-p] [-r] [-d n] [-o columns] [properties names…]; read only, any dataset or snapshot",
            """
            while [ $# -gt 0 ]; do
                case $1 in
                    -H|-p|-r) ;;
                    -d) [ $# -ge 2 ] && is_number "$2" || refuse "-d expects a depth"; shift ;;
                    -o) [ $# -ge 2 ] && is_list "$2" || refuse "-o expects a list of columns"; shift ;;
                    -*) refuse "option $(show "$1")" ;;
                    *) break ;;
                esac
                shift
            done
            [ $# -gt 0 ] || return 0
            is_list "$1" || refuse "property list $(show "$1")"
            shift
            for n do need_name "$n"; done
            """,
            "zfs", "get"),
        HostVerb.ForProgram(
            "zfs-snapshot",
            "zfs snapshot [-r] snapshot, under the dataset roots",
            """
            [ "${1-}" != -r ] || shift
            [ $# -eq 1 ] || refuse "expects [-r] <snapshot>"
            need_snapshot "$1"
            """,
            "zfs", "snapshot"),
        HostVerb.ForProgram(
            "zfs-destroy",
            "zfs destroy [-r] target: a snapshot under the dataset roots or a dataset strictly below one",
            """
            [ "${1-}" != -r ] || shift
            [ $# -eq 1 ] || refuse "expects [-r] <snapshot or dataset>"
            need_destroyable "$1"
            """,
            "zfs", "destroy"),
        HostVerb.ForProgram(
            "zfs-rollback",
            "zfs rollback snapshot, under the dataset roots",
            """
            [ $# -eq 1 ] || refuse "expects <snapshot>"
            need_snapshot "$1"
            """,
            "zfs", "rollback"),
        HostVerb.ForProgram("zfs-hold", "zfs hold [-r] tag snapshot, under the dataset roots", HoldCheck, "zfs", "hold"),
        HostVerb.ForProgram("zfs-release", "zfs release [-r] tag snapshot, under the dataset roots", HoldCheck, "zfs", "release"),
        HostVerb.ForProgram(
            "zfs-set",
            "zfs set readonly=on|off or a user property (module:name=value) on datasets under the roots",
            """
            [ $# -ge 2 ] || refuse "expects <property=value> <dataset>…"
            case $1 in
                readonly=on|readonly=off) ;;
                *=*) is_user_property "${1%%=*}" && is_text "${1#*=}" || refuse "property $(show "$1")" ;;
                *) refuse "expects <property=value>, not $(show "$1")" ;;
            esac
            shift
            for d do need_dataset "$d"; done
            """,
            "zfs", "set"),
        HostVerb.ForProgram(
            "zfs-inherit",
            "zfs inherit [-r] user-property dataset, under the dataset roots",
            """
            [ "${1-}" != -r ] || shift
            [ $# -eq 2 ] || refuse "expects [-r] <user property> <dataset>"
            is_user_property "$1" || refuse "property $(show "$1") is not a user property (module:name)"
            need_dataset "$2"
            """,
            "zfs", "inherit"),
        HostVerb.ForProgram("zfs-send", "zfs send [-nPRpLec] [-i|-I snapshot] snapshot, under the dataset roots; or zfs send -t token", SendCheck, "zfs", "send"),
        HostVerb.ForProgram(
            "zfs-receive",
            "zfs receive [-s] [-u] [-F] [-v] dataset, or zfs receive -A dataset, under the dataset roots",
            """
            if [ "${1-}" = -A ]; then
                [ $# -eq 2 ] || refuse "expects -A <dataset>"
                need_dataset "$2"
                return
            fi
            while [ $# -gt 1 ]; do
                case $1 in
                    -s|-u|-F|-v) ;;
                    *) refuse "option $(show "$1")" ;;
                esac
                shift
            done
            [ $# -eq 1 ] || refuse "expects one target dataset"
            need_dataset "$1"
            """,
            "zfs", "receive"),
        HostVerb.ForScript(
            "zfs-snapshot-send",
            "takes a snapshot under the dataset roots, then runs zfs send as zfs-send allows",
            """
            [ $# -ge 4 ] || refuse "expects <-r or ''> <snapshot> zfs send …"
            case $1 in ''|-r) ;; *) refuse "expects -r or an empty word first" ;; esac
            need_snapshot "$2"
            [ "$3" = zfs ] && [ "$4" = send ] || refuse "runs only zfs send after the snapshot"
            shift 4
            check_zfs_send "$@"
            """,
            ZfsSendCommand.SnapshotThenSendScript),
        HostVerb.ForScript(
            "zfs-received-copy",
            "makes a received copy read-only or writable, remounts its datasets and reads its snapshots' GUIDs, all under the dataset roots",
            """
            [ $# -ge 5 ] || refuse "expects <root> <on|off> <datasets…> -- <datasets…> -- <snapshots…>"
            need_dataset "$1"
            case $2 in on|off) ;; *) refuse "expects on or off, not $(show "$2")" ;; esac
            shift 2
            for part in unmount mount; do
                while [ $# -gt 0 ] && [ "$1" != -- ]; do need_dataset "$1"; shift; done
                [ $# -gt 0 ] || refuse "expects -- after the datasets to $part"
                shift
            done
            [ $# -gt 0 ] || refuse "expects the snapshots whose GUIDs to read"
            for s do need_snapshot "$s"; done
            """,
            ZfsReceivedCopyCommand.Script),
    };

    private const string HoldCheck = """
        [ "${1-}" != -r ] || shift
        [ $# -eq 2 ] || refuse "expects [-r] <tag> <snapshot>"
        need_tag "$1"
        need_snapshot "$2"
        """;
}
