using System;
using System.Threading;
using System.Threading.Tasks;
using MigrationTools.Engine.Remote;
using MigrationTools.Engine.Workloads;
using MigrationTools.Engine.Zfs;

namespace MigrationTools.Engine.Migrations;

/// <summary>
/// Marks a workload as being migrated, on its source host, so that a second controller refuses to start another
/// migration of it. The claim file (<see cref="WorkloadPaths.ClaimFile"/>) is created exclusively, which makes the
/// test-and-set atomic; the datasets carry the id in the <see cref="PropertyName"/> user property for anyone who
/// looks at them with <c>zfs get</c>.
/// </summary>
internal static class MigrationClaim
{
    /// <summary>The ZFS user property naming the migration that holds a dataset.</summary>
    public static readonly ZfsUserPropertyName PropertyName = ZfsUserPropertyName.Create("migrationtools", "migration");

    /// <summary>$1 claim file, $2 migration id. Prints "claimed", or "held ID" for the id already in the file.</summary>
    internal const string ClaimScript = """
        f=$1; id=$2
        umask 077
        mkdir -p -- "${f%/*}" || exit 1
        if ( set -C; printf '%s\n' "$id" > "$f" ) 2>/dev/null; then echo claimed; exit 0; fi
        other=
        { read -r other < "$f"; } 2>/dev/null
        printf 'held %s\n' "$other"
        """;

    /// <summary>$1 claim file, $2 migration id. Removes the file only when it holds that id.</summary>
    internal const string ReleaseScript = """
        other=
        { read -r other < "$1"; } 2>/dev/null || exit 0
        [ "$other" = "$2" ] && rm -f -- "$1"
        exit 0
        """;

    /// <summary>$1 claim file. Prints the id in it, or nothing.</summary>
    internal const string ReadScript = """
        { read -r other < "$1"; } 2>/dev/null && printf '%s\n' "$other"
        exit 0
        """;

    /// <summary>
    /// Claims <paramref name="workload"/> for <paramref name="id"/>; repeating it for the same id is harmless.
    /// </summary>
    /// <param name="host">The workload's source host.</param>
    /// <param name="paths">Where workload files live there.</param>
    /// <param name="workload">The workload.</param>
    /// <param name="id">The migration.</param>
    /// <param name="cancellationToken">Stops the command.</param>
    /// <returns>A task that completes when the claim is held.</returns>
    /// <exception cref="MigrationRefusedException">Another migration holds the workload.</exception>
    public static async Task ClaimAsync(
        SshConnection host, WorkloadPaths paths, WorkloadName workload, MigrationId id, CancellationToken cancellationToken = default)
    {
        var file = File(paths, workload);
        var result = await Check(host).RunAsync(
            RemoteCommand.Create("sh", "-c", ClaimScript, "sh", file, Check(id).Value), cancellationToken).ConfigureAwait(false);
        var answer = result.Text.Trim();
        if (answer == "claimed" || answer == "held " + id.Value)
        {
            return;
        }

        var other = answer.StartsWith("held ", StringComparison.Ordinal) ? answer.Substring(5).Trim() : "";
        throw new MigrationRefusedException(other.Length == 0
            ? $"Workload {workload} on {host.Destination} is being claimed by another migration right now ({file} exists); " +
              "let that controller finish, or remove the file if no migration is running."
            : $"Workload {workload} on {host.Destination} is already being migrated by {SafeText.Show(other)} (claimed in {file}); " +
              $"continue, complete or abort that migration first.");
    }

    /// <summary>The id in the workload's claim file, or <see langword="null"/> when it is not claimed.</summary>
    /// <param name="host">The workload's source host.</param>
    /// <param name="paths">Where workload files live there.</param>
    /// <param name="workload">The workload.</param>
    /// <param name="cancellationToken">Stops the command.</param>
    /// <returns>The text in the claim file.</returns>
    public static async Task<string?> ReadAsync(
        SshConnection host, WorkloadPaths paths, WorkloadName workload, CancellationToken cancellationToken = default)
    {
        var result = await Check(host).RunAsync(
            RemoteCommand.Create("sh", "-c", ReadScript, "sh", File(paths, workload)), cancellationToken).ConfigureAwait(false);
        var text = result.Text.Trim();
        return text.Length == 0 ? null : text;
    }

    /// <summary>Removes the claim if <paramref name="id"/> holds it; harmless when it does not.</summary>
    /// <param name="host">The workload's source host.</param>
    /// <param name="paths">Where workload files live there.</param>
    /// <param name="workload">The workload.</param>
    /// <param name="id">The migration.</param>
    /// <param name="cancellationToken">Stops the command.</param>
    /// <returns>A task that completes when the claim is gone.</returns>
    public static async Task ReleaseAsync(
        SshConnection host, WorkloadPaths paths, WorkloadName workload, MigrationId id, CancellationToken cancellationToken = default) =>
        await Check(host).RunAsync(
            RemoteCommand.Create("sh", "-c", ReleaseScript, "sh", File(paths, workload), Check(id).Value), cancellationToken).ConfigureAwait(false);

    private static string File(WorkloadPaths paths, WorkloadName workload) =>
        (paths ?? throw new ArgumentNullException(nameof(paths))).ClaimFile(workload ?? throw new ArgumentNullException(nameof(workload)));

    private static SshConnection Check(SshConnection host) => host ?? throw new ArgumentNullException(nameof(host));

    private static MigrationId Check(MigrationId id) => id ?? throw new ArgumentNullException(nameof(id));
}
