namespace MigrationTools.Engine.Remote;

/// <summary>
/// The <c>sh</c> functions the host helper's argument checks are written with. The policy's own values (dataset
/// roots, directories) come from <see cref="HostHelperScript"/>: <c>in_roots</c>, <c>below_roots</c>, <c>$images</c>.
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
        """;
}
