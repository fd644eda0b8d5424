using MigrationTools.Engine.Criu;
using MigrationTools.Engine.Placement;

namespace MigrationTools.Engine.Privilege;

/// <summary>
/// The CRIU and checkpoint image verbs: each runs the engine's script for it; the <c>criu</c> argument list a script
/// runs is checked by <c>check_criu</c>, and every directory must be a checkpoint image directory.
/// </summary>
internal static partial class HostVerbs
{
    // $4 holds the carried files, one a line: each an absolute path.
    private const string CarriedFilesCheck = """
        saved=$IFS
        IFS=$(printf '\n_')
        IFS=${IFS%_}
        for f in $4; do need_path "$f"; done
        IFS=$saved
        """;

    private static HostVerb[] CriuVerbs() => new[]
    {
        HostVerb.ForBareScript("criu-check", "checks CRIU on the host (criu check, pre-dump, post-copy) and reports the limits it needs", CriuScripts.Check),
        HostVerb.ForBareScript("criu-cpuinfo-dump", "writes the host's CPU description (criu cpuinfo dump) to a scratch directory and prints it", CriuScripts.CpuInfoDump),
        HostVerb.ForScript(
            "criu-cpuinfo-check",
            "checks a source's CPU description, base64, against this host (criu cpuinfo check)",
            """
            [ $# -eq 1 ] || refuse "expects <base64 cpuinfo image>"
            case $1 in ''|*[!A-Za-z0-9+/=]*) refuse "expects base64" ;; esac
            """,
            CriuScripts.CpuInfoCheck),
        HostVerb.ForScript(
            "criu-dump",
            "checkpoints a process tree into a fresh image directory (criu dump), carrying the listed files",
            """
            [ $# -ge 6 ] || refuse "expects <pid> <start> <image directory> <carried files> criu dump …"
            need_number "$1"; need_number "$2"; need_image "$3"
            """ + "\n" + CarriedFilesCheck + "\n" + """
            shift 4
            check_criu dump "$@"
            """,
            CriuScripts.Dump),
        HostVerb.ForScript(
            "criu-pre-dump",
            "copies a running tree's memory into a pre-copy round's image directory (criu pre-dump)",
            """
            [ $# -ge 5 ] || refuse "expects <pid> <start> <image directory> criu pre-dump …"
            need_number "$1"; need_number "$2"; need_image "$3"
            shift 3
            check_criu pre-dump "$@"
            """,
            CriuScripts.PreDump),
        HostVerb.ForScript(
            "criu-restore",
            "restores a tree from an image directory (criu restore), recording its PID in a workload PID file",
            """
            [ $# -ge 4 ] || refuse "expects <image directory> <record file or ''> criu restore …"
            need_image "$1"
            [ -z "$2" ] || need_pid_file "$2"
            shift 2
            check_criu restore "$@"
            """,
            CriuScripts.Restore),
        HostVerb.ForScript(
            "criu-resume",
            "continues (SIGCONT) a frozen tree, named by its root's PID and start time",
            """
            [ $# -eq 2 ] || refuse "expects <pid> <start>"
            need_number "$1"; need_number "$2"
            """,
            CriuScripts.Resume),
        HostVerb.ForScript(
            "criu-find-restored",
            "prints the tree a restore from an image directory left running",
            """
            [ $# -eq 1 ] || refuse "expects <image directory>"
            need_image "$1"
            """,
            CriuScripts.FindRestored),
        HostVerb.ForScript(
            "criu-wait",
            "waits while a criu dump, restore or pre-dump of an image directory runs",
            """
            [ $# -eq 3 ] || refuse "expects <dump|restore|pre-dump> <image directory> <seconds>"
            case $1 in dump|restore|pre-dump) ;; *) refuse "operation $(show "$1")" ;; esac
            need_image "$2"; need_number "$3"
            """,
            CriuScripts.WaitForOperation),
        HostVerb.ForScript(
            "criu-release-network-lock",
            "removes the network lock a dump of an image directory left behind",
            """
            [ $# -eq 3 ] || refuse "expects <image directory> <pid> <start>"
            need_image "$1"; need_number "$2"; need_number "$3"
            """,
            CriuScripts.ReleaseNetworkLock),
        HostVerb.ForScript(
            "criu-log-tail",
            "prints the end of a CRIU log in a checkpoint image directory",
            """
            [ $# -eq 2 ] || refuse "expects <log file> <bytes>"
            need_image_file "$1"; need_number "$2"
            """,
            CriuScripts.LogTail),
        HostVerb.ForScript(
            "criu-page-server",
            "starts a detached page server receiving into an image directory (criu page-server)",
            """
            [ $# -ge 4 ] || refuse "expects <image directory> <seconds> criu page-server …"
            need_image "$1"; need_number "$2"
            shift 2
            check_criu page-server "$@"
            """,
            CriuDetachedScripts.StartPageServer),
        HostVerb.ForScript(
            "criu-lazy-dump",
            "starts a detached post-copy dump that serves its pages (criu dump --lazy-pages)",
            """
            [ $# -ge 7 ] || refuse "expects <pid> <start> <image directory> <carried files> <seconds> criu dump …"
            need_number "$1"; need_number "$2"; need_image "$3"; need_number "$5"
            """ + "\n" + CarriedFilesCheck + "\n" + """
            shift 5
            check_criu dump "$@"
            """,
            CriuDetachedScripts.StartLazyDump),
        HostVerb.ForScript(
            "criu-lazy-pages",
            "starts the detached lazy-pages daemon of an image directory (criu lazy-pages)",
            """
            [ $# -ge 4 ] || refuse "expects <image directory> <seconds> criu lazy-pages …"
            need_image "$1"; need_number "$2"
            shift 2
            check_criu lazy-pages "$@"
            """,
            CriuDetachedScripts.StartLazyPages),
        HostVerb.ForScript(
            "criu-detached-outcome",
            "waits for a detached page server, post-copy dump or lazy-pages daemon to end and prints its outcome",
            """
            [ $# -eq 3 ] || refuse "expects <image directory> <name> <seconds>"
            need_image "$1"; need_number "$3"
            case $2 in page-server|lazy-dump|lazy-pages) ;; *) refuse "detached operation $(show "$2")" ;; esac
            """,
            CriuDetachedScripts.Outcome),
        HostVerb.ForScript(
            "criu-detached-stop",
            "ends a detached page server, post-copy dump or lazy-pages daemon",
            """
            [ $# -eq 2 ] || refuse "expects <image directory> <name>"
            need_image "$1"
            case $2 in page-server|lazy-dump|lazy-pages) ;; *) refuse "detached operation $(show "$2")" ;; esac
            """,
            CriuDetachedScripts.Stop),
        HostVerb.ForScript("images-remove", "removes one checkpoint image directory, with its pre-copy rounds and unfinished copies", OneImage, CriuScripts.Remove),
        HostVerb.ForScript("images-remove-rounds", "removes an image directory's pre-copy rounds, not the directory", OneImage, CriuScripts.RemovePreCopyRounds),
        HostVerb.ForScript("images-send", "writes an image directory's images as a tar stream on standard output", OneImage, CriuImageShipment.SendScript),
        HostVerb.ForScript(
            "images-receive",
            "extracts a tar stream of images from standard input and renames it into place as an image directory",
            """
            [ $# -eq 2 ] || refuse "expects <image directory> <images directory>"
            need_image "$1"
            need_same "$2" "$images" "the images directory"
            """,
            CriuImageShipment.ReceiveScript),
        HostVerb.ForScript("images-receive-beside-pages", "extracts a tar stream of images beside the pages a page server received", OneImage, CriuImageShipment.ReceiveBesidePagesScript),
        HostVerb.ForScript("images-pages-size", "prints how many bytes an image directory's memory pages hold", OneImage, MemoryTransfers.PagesBytesScript),
    };

    private const string OneImage = """
        [ $# -eq 1 ] || refuse "expects <image directory>"
        need_image "$1"
        """;
}
