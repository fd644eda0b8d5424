using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using MigrationTools.Engine.Remote;

namespace MigrationTools.Engine.Workloads;

/// <summary>
/// The workload manifests declared on one host, kept as <c>&lt;name&gt;.json</c> files in its manifest directory
/// (<see cref="WorkloadPaths.ManifestDirectory"/>), read and written through its <see cref="SshConnection"/>.
/// </summary>
/// <remarks>
/// Manifests are written atomically (a temporary file in the same directory, renamed over the old one), readable by
/// root only (mode 0600, in a directory created 0700), since their environment may hold secrets.
/// </remarks>
public sealed class WorkloadCatalog
{
    /// <summary>
    /// $1 manifest directory, $2 most bytes read per file. Prints one line per <c>*.json</c> file: its base name and its
    /// content, each base64-encoded, or <c>-</c> for a file that cannot be read. A missing directory prints nothing.
    /// </summary>
    internal const string ListScript = """
        [ -d "$1" ] || exit 0
        for f in "$1"/*.json; do
            [ -f "$f" ] || continue
            printf '%s ' "$(printf '%s' "${f##*/}" | base64 -w0)"
            if [ -r "$f" ]; then head -c "$2" -- "$f" | base64 -w0; echo; else echo -; fi
        done
        """;

    /// <summary>$1 file. Prints the file; exit status 3 when it does not exist.</summary>
    internal const string ReadScript = """
        [ -e "$1" ] || exit 3
        exec cat -- "$1"
        """;

    /// <summary>
    /// $1 manifest directory, $2 file name, $3 length in bytes; the content on standard input. Writes a temporary file
    /// beside the target and renames it into place only when all of the content arrived: a cancelled command may
    /// see end-of-file before it is killed, and a short file must never replace a good one.
    /// </summary>
    internal const string WriteScript = """
        umask 077
        mkdir -p -m 0700 -- "$1" || exit 1
        t=$(mktemp "$1/.$2.XXXXXX") || exit 1
        if cat > "$t" && n=$(wc -c < "$t") && [ $((n)) -eq "$3" ] && chmod 0600 -- "$t" && mv -f -- "$t" "$1/$2"; then exit 0; fi
        rm -f -- "$t"
        echo "the manifest did not arrive whole; nothing was changed" >&2
        exit 1
        """;

    /// <summary>$1 file. Removes it; exit status 3 when it did not exist.</summary>
    internal const string RemoveScript = """
        [ -e "$1" ] || exit 3
        rm -f -- "$1"
        """;

    private const int NotFound = 3;

    /// <summary>Creates a catalog over <paramref name="connection"/>, which it uses but does not own.</summary>
    /// <param name="connection">The host's connection.</param>
    /// <param name="paths">Where the host keeps manifests; <see langword="null"/> for <see cref="WorkloadPaths.Default"/>.</param>
    public WorkloadCatalog(SshConnection connection, WorkloadPaths? paths = null)
    {
        Connection = connection ?? throw new ArgumentNullException(nameof(connection));
        Paths = paths ?? WorkloadPaths.Default;
    }

    /// <summary>The connection commands run through.</summary>
    public SshConnection Connection { get; }

    /// <summary>Where the host keeps manifests.</summary>
    public WorkloadPaths Paths { get; }

    /// <summary>
    /// Every manifest file on the host, read with one command. A malformed file gives an entry with its
    /// <see cref="WorkloadCatalogEntry.Error"/> and never hides the others; so does a file whose name is not
    /// <c>&lt;name&gt;.json</c> for the workload it declares.
    /// </summary>
    /// <param name="cancellationToken">Stops the command.</param>
    /// <returns>The entries, ordered by file name.</returns>
    public async Task<IReadOnlyList<WorkloadCatalogEntry>> ListAsync(CancellationToken cancellationToken = default)
    {
        var command = RemoteCommand.Create(
            "sh", "-c", ListScript, "sh", Paths.ManifestDirectory, (WorkloadManifestJson.MaxBytes + 1).ToString(CultureInfo.InvariantCulture));
        var result = WorkloadException.Check(
            await Connection.ExecuteAsync(command, cancellationToken).ConfigureAwait(false), "Listing the manifests in " + Paths.ManifestDirectory);
        return ParseListing(Paths.ManifestDirectory, result.Text);
    }

    /// <summary>One workload's manifest.</summary>
    /// <param name="name">The workload.</param>
    /// <param name="cancellationToken">Stops the command.</param>
    /// <returns>The manifest, or <see langword="null"/> when the host declares no such workload.</returns>
    /// <exception cref="WorkloadManifestException">The file is malformed or declares another workload.</exception>
    public async Task<WorkloadManifest?> GetAsync(WorkloadName name, CancellationToken cancellationToken = default)
    {
        var file = Paths.ManifestFile(name);
        var result = await Connection.ExecuteAsync(RemoteCommand.Create("sh", "-c", ReadScript, "sh", file), cancellationToken).ConfigureAwait(false);
        if (result.ExitCode == NotFound)
        {
            return null;
        }

        WorkloadException.Check(result, "Reading " + file);
        return Read(file, name.Value + ".json", result.StandardOutput);
    }

    /// <summary>Writes a manifest, replacing any with the same name, atomically.</summary>
    /// <param name="manifest">The manifest.</param>
    /// <param name="cancellationToken">Stops the command; the old manifest, if any, then stays in place.</param>
    /// <returns>The file written.</returns>
    public async Task<string> RegisterAsync(WorkloadManifest manifest, CancellationToken cancellationToken = default)
    {
        if (manifest is null)
        {
            throw new ArgumentNullException(nameof(manifest));
        }

        var content = Encoding.UTF8.GetBytes(WorkloadManifestJson.Serialize(manifest));
        using var input = new MemoryStream(content, writable: false);
        var command = RemoteCommand.Create(
            "sh", "-c", WriteScript, "sh", Paths.ManifestDirectory, manifest.Name.Value + ".json", content.Length.ToString(CultureInfo.InvariantCulture));
        WorkloadException.Check(
            await Connection.ExecuteAsync(command, input, cancellationToken).ConfigureAwait(false), "Writing " + Paths.ManifestFile(manifest.Name));
        return Paths.ManifestFile(manifest.Name);
    }

    /// <summary>Removes a workload's manifest.</summary>
    /// <param name="name">The workload.</param>
    /// <param name="cancellationToken">Stops the command.</param>
    /// <returns>True when removed; false when there was none.</returns>
    public async Task<bool> UnregisterAsync(WorkloadName name, CancellationToken cancellationToken = default)
    {
        var result = await Connection.ExecuteAsync(
            RemoteCommand.Create("sh", "-c", RemoveScript, "sh", Paths.ManifestFile(name)), cancellationToken).ConfigureAwait(false);
        if (result.ExitCode == NotFound)
        {
            return false;
        }

        WorkloadException.Check(result, "Removing " + Paths.ManifestFile(name));
        return true;
    }

    /// <summary>A short description: the host and directory.</summary>
    /// <returns>The description.</returns>
    public override string ToString() => $"workload manifests in {Paths.ManifestDirectory} on {Connection.Destination}";

    /// <summary>Reads the list script's output into entries.</summary>
    internal static IReadOnlyList<WorkloadCatalogEntry> ParseListing(string directory, string output)
    {
        var entries = new List<WorkloadCatalogEntry>();
        foreach (var line in output.Split('\n'))
        {
            // An empty file leaves its content word empty; the line still has both words.
            var words = line.TrimEnd('\r').Split(' ');
            if (words.Length != 2 || words[0].Length == 0 || !TryDecode(words[0], out var nameBytes))
            {
                continue;
            }

            var fileName = Encoding.UTF8.GetString(nameBytes);
            var file = directory + "/" + fileName;
            if (words[1] == "-")
            {
                entries.Add(Failed(file, "The file cannot be read; check its owner and mode (root should own it, mode 0600)."));
            }
            else if (!TryDecode(words[1], out var content))
            {
                entries.Add(Failed(file, "The host sent the file garbled; read it again."));
            }
            else
            {
                try
                {
                    entries.Add(new WorkloadCatalogEntry(file, Read(file, fileName, content), null));
                }
                catch (WorkloadManifestException e)
                {
                    entries.Add(new WorkloadCatalogEntry(file, null, e));
                }
            }
        }

        return entries.OrderBy(e => e.File, StringComparer.Ordinal).ToArray();
    }

    /// <summary>Parses a manifest file and checks that its name matches the workload it declares.</summary>
    private static WorkloadManifest Read(string file, string fileName, byte[] content)
    {
        var manifest = WorkloadManifestJson.Parse(content, file);
        var expected = manifest.Name.Value + ".json";
        if (!string.Equals(fileName, expected, StringComparison.Ordinal))
        {
            throw new WorkloadManifestException(
                file, "$.name", $"The file declares the workload {manifest.Name}, so it must be named {expected}; rename it or fix the name.");
        }

        return manifest;
    }

    private static WorkloadCatalogEntry Failed(string file, string fault) =>
        new(file, null, new WorkloadManifestException(file, "$", fault));

    private static bool TryDecode(string text, out byte[] bytes)
    {
        try
        {
            bytes = Convert.FromBase64String(text);
            return true;
        }
        catch (FormatException)
        {
            bytes = Array.Empty<byte>();
            return false;
        }
    }
}
