using MigrationTools.Engine.Migrations;
using MigrationTools.Engine.Network;
using MigrationTools.Engine.Workloads;

namespace MigrationTools.Engine.Privilege;

/// <summary>
/// The workload verbs: manifests and claims in the manifest directory, workloads' runtime directories, and service
/// addresses on the host's interfaces.
/// </summary>
internal static partial class HostVerbs
{
    private static HostVerb[] WorkloadVerbs() => new[]
    {
        HostVerb.ForScript(
            "manifest-list",
            "prints the manifests in the manifest directory",
            """
            [ $# -eq 2 ] || refuse "expects <manifest directory> <bytes>"
            need_same "$1" "$manifests" "the manifest directory"
            need_number "$2"
            """,
            WorkloadCatalog.ListScript),
        HostVerb.ForScript("manifest-read", "prints one manifest", OneManifestFile, WorkloadCatalog.ReadScript),
        HostVerb.ForScript(
            "manifest-write",
            "writes one manifest from standard input, whole or not at all",
            """
            [ $# -eq 3 ] || refuse "expects <manifest directory> <file name> <length>"
            need_same "$1" "$manifests" "the manifest directory"
            case $2 in *.json) need_workload "${2%.json}" ;; *) refuse "manifest file $(show "$2")" ;; esac
            need_number "$3"
            """,
            WorkloadCatalog.WriteScript),
        HostVerb.ForScript("manifest-remove", "removes one manifest", OneManifestFile, WorkloadCatalog.RemoveScript),
        HostVerb.ForScript(
            "claim-take",
            "marks a workload as being migrated by one migration",
            """
            [ $# -eq 2 ] || refuse "expects <claim file> <migration id>"
            need_manifest_file "$1"; need_migration "$2"
            """,
            MigrationClaim.ClaimScript),
        HostVerb.ForScript("claim-read", "prints which migration holds a workload", OneManifestFile, MigrationClaim.ReadScript),
        HostVerb.ForScript(
            "claim-release",
            "releases a workload's claim, when that migration holds it",
            """
            [ $# -eq 2 ] || refuse "expects <claim file> <migration id>"
            need_manifest_file "$1"; need_migration "$2"
            """,
            MigrationClaim.ReleaseScript),
        HostVerb.ForScript(
            "workload-start",
            "starts a declared workload's command detached, as root, in its runtime directory",
            """
            [ $# -ge 5 ] || refuse "expects <workload directory> <working directory> <init> <count> <NAME=VALUE…> <command…>"
            need_workload_dir "$1"
            need_path "$2"
            need_same "$3" "$const_init" "the init script"
            need_number "$4"
            n=$4
            shift 4
            [ $# -gt "$n" ] || refuse "expects the command after the environment"
            while [ "$n" -gt 0 ]; do
                case $1 in [A-Za-z_]*=*) ;; *) refuse "environment entry $(show "$1")" ;; esac
                shift
                n=$((n - 1))
            done
            """,
            WorkloadRuntime.StartScript),
        HostVerb.ForScript(
            "workload-status",
            "prints the state of workloads from their runtime directories",
            """
            [ $# -ge 1 ] || refuse "expects <runtime directory> <names…>"
            need_same "$1" "$runtime" "the runtime directory"
            shift
            for w do need_workload "$w"; done
            """,
            WorkloadRuntime.StatusScript),
        HostVerb.ForScript(
            "workload-stop",
            "stops a workload's tree: SIGTERM, SIGKILL after the grace period",
            """
            [ $# -eq 2 ] || refuse "expects <pid file> <tenths of a second>"
            need_pid_file "$1"; need_number "$2"
            """,
            WorkloadRuntime.StopScript),
        HostVerb.ForScript(
            "workload-adopt",
            "records a restored tree as a workload's running process",
            """
            [ $# -eq 3 ] || refuse "expects <workload directory> <pid> <start>"
            need_workload_dir "$1"; need_number "$2"; need_number "$3"
            """,
            WorkloadRuntime.AdoptScript),
        HostVerb.ForScript(
            "address-inspect",
            "prints the state of service addresses on the host's interfaces, probing for other holders",
            """
            [ $# -ge 7 ] || refuse "expects <interfaces> <probe|look> <neighbour> <addresses…>"
            need_same "$1" /sys/class/net "the interface directory"
            case $2 in probe|look) ;; *) refuse "expects probe or look" ;; esac
            need_same "$3" "$const_neighbour" "the neighbour program"
            shift 3
            need_addresses "$@"
            """,
            ServiceAddressScripts.Inspect),
        HostVerb.ForScript(
            "address-claim",
            "adds service addresses to the host's interfaces and announces them",
            """
            [ $# -ge 8 ] || refuse "expects <interfaces> <announce> <neighbour> <hold|open> <addresses…>"
            need_same "$1" /sys/class/net "the interface directory"
            need_same "$2" "$const_announce" "the announcer"
            need_same "$3" "$const_neighbour" "the neighbour program"
            case $4 in hold|open) ;; *) refuse "expects hold or open" ;; esac
            shift 4
            need_addresses "$@"
            """,
            ServiceAddressScripts.Claim),
        HostVerb.ForScript("address-open", "lets established connections to service addresses through again", AddressesOnly, ServiceAddressScripts.Open),
        HostVerb.ForScript("address-release", "removes service addresses from the host's interfaces", AddressesOnly, ServiceAddressScripts.Release),
    };

    private const string OneManifestFile = """
        [ $# -eq 1 ] || refuse "expects <manifest or claim file>"
        need_manifest_file "$1"
        """;

    private const string AddressesOnly = """
        [ $# -ge 5 ] || refuse "expects <interfaces> <addresses…>"
        need_same "$1" /sys/class/net "the interface directory"
        shift
        need_addresses "$@"
        """;
}
