using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using MigrationTools.Engine.Remote;

namespace MigrationTools.Engine.Zfs;

/// <summary>
/// Datasets and their snapshots as one <c>zfs get -H -p -r</c> reports them, parents before children.
/// </summary>
/// <param name="Datasets">The filesystems and volumes, each with its snapshots oldest first.</param>
/// <param name="UnsupportedNames">
/// Names ZFS reported that the engine's stricter naming rules refuse (for example with a space); they are left
/// out of <paramref name="Datasets"/>, and a caller that moves a tree should refuse to move it.
/// </param>
public sealed record ZfsListing(IReadOnlyList<ZfsDataset> Datasets, IReadOnlyList<string> UnsupportedNames)
{
    /// <summary>The properties a listing needs, for <c>zfs get</c>. All exist in zfs-fuse and OpenZFS.</summary>
    public const string Properties = "type,guid,createtxg,creation,used,available,referenced,mountpoint,mounted,readonly,userrefs";

    /// <summary>An empty listing.</summary>
    public static ZfsListing Empty { get; } = new(Array.Empty<ZfsDataset>(), Array.Empty<string>());

    /// <summary>The dataset named <paramref name="name"/>, or <see langword="null"/>.</summary>
    /// <param name="name">The dataset's name.</param>
    /// <returns>The dataset, or <see langword="null"/> when the listing does not hold it.</returns>
    public ZfsDataset? Find(DatasetName name) => Datasets.FirstOrDefault(d => d.Name == name);

    /// <summary>
    /// Parses the output of <c>zfs get -H -p -o name,property,value,source <see cref="Properties"/></c>
    /// (with <c>-r</c> or <c>-d</c> as needed). Bookmarks are skipped; properties not asked for are ignored.
    /// </summary>
    /// <param name="output">The command's standard output.</param>
    /// <returns>The listing.</returns>
    /// <exception cref="FormatException">A line or value is not what <c>zfs get -H -p</c> prints; the message quotes it.</exception>
    public static ZfsListing Parse(string output)
    {
        var byName = new Dictionary<string, Dictionary<string, ZfsPropertyRow>>(StringComparer.Ordinal);
        var order = new List<string>();
        foreach (var row in ZfsPropertyRow.ParseAll(output))
        {
            if (!byName.TryGetValue(row.Name, out var properties))
            {
                properties = new Dictionary<string, ZfsPropertyRow>(StringComparer.Ordinal);
                byName.Add(row.Name, properties);
                order.Add(row.Name);
            }

            properties[row.Property] = row;
        }

        var datasets = new List<(ZfsDataset Dataset, List<ZfsSnapshot> Snapshots)>();
        var index = new Dictionary<DatasetName, int>();
        var unsupported = new List<string>();
        var snapshots = new List<ZfsSnapshot>();
        foreach (var name in order)
        {
            var properties = byName[name];
            if (name.IndexOf('#') >= 0 || Text(properties, name, "type", required: false) == "bookmark")
            {
                continue;
            }

            if (name.IndexOf('@') >= 0)
            {
                if (SnapshotName.TryParse(name, out var snapshotName))
                {
                    snapshots.Add(ParseSnapshot(snapshotName!, properties));
                }
                else
                {
                    unsupported.Add(name);
                }

                continue;
            }

            if (!DatasetName.TryParse(name, out var datasetName))
            {
                unsupported.Add(name);
                continue;
            }

            index[datasetName!] = datasets.Count;
            datasets.Add((ParseDataset(datasetName!, properties), new List<ZfsSnapshot>()));
        }

        foreach (var snapshot in snapshots)
        {
            if (!index.TryGetValue(snapshot.Name.Dataset, out var at))
            {
                throw new FormatException(
                    $"The zfs get output lists the snapshot {SafeText.Show(snapshot.Name.Value)} but not its dataset; list the dataset with -r or -d 1.");
            }

            datasets[at].Snapshots.Add(snapshot);
        }

        // Stable: snapshots taken in one transaction group keep the order zfs printed them in.
        var result = datasets
            .Select(d => d.Dataset with { Snapshots = d.Snapshots.OrderBy(s => s.CreateTxg).ToArray() })
            .ToArray();
        return new ZfsListing(result, unsupported.ToArray());
    }

    private static ZfsDataset ParseDataset(DatasetName name, Dictionary<string, ZfsPropertyRow> properties)
    {
        var type = Text(properties, name.Value, "type", required: true) switch
        {
            "filesystem" => ZfsDatasetType.Filesystem,
            "volume" => ZfsDatasetType.Volume,
            var other => throw new FormatException(
                $"The zfs get output gives {SafeText.Show(name.Value)} the type {SafeText.Show(other)}; expected filesystem or volume."),
        };
        var mountpoint = Text(properties, name.Value, "mountpoint", required: false);
        return new ZfsDataset(
            name,
            type,
            Unsigned(properties, name.Value, "guid"),
            Unsigned(properties, name.Value, "createtxg"),
            Creation(properties, name.Value),
            Size(properties, name.Value, "used"),
            Size(properties, name.Value, "available"),
            Size(properties, name.Value, "referenced"),
            mountpoint is null or "-" ? null : mountpoint,
            Text(properties, name.Value, "mounted", required: false) == "yes",
            ReadOnly(properties, name.Value),
            Array.Empty<ZfsSnapshot>());
    }

    private static ZfsSnapshot ParseSnapshot(SnapshotName name, Dictionary<string, ZfsPropertyRow> properties)
    {
        var userRefs = Text(properties, name.Value, "userrefs", required: false);
        return new ZfsSnapshot(
            name,
            Unsigned(properties, name.Value, "guid"),
            Unsigned(properties, name.Value, "createtxg"),
            Creation(properties, name.Value),
            userRefs is null or "-" ? null : Size(properties, name.Value, "userrefs"),
            Size(properties, name.Value, "used"),
            Size(properties, name.Value, "referenced"));
    }

    // A mount option that differs from the property is reported as the option's value with source "temporary";
    // the property itself is then the opposite.
    private static bool ReadOnly(Dictionary<string, ZfsPropertyRow> properties, string name)
    {
        if (!properties.TryGetValue("readonly", out var row) || row.Value == "-")
        {
            return false;
        }

        var shown = row.Value switch
        {
            "on" => true,
            "off" => false,
            _ => throw new FormatException(
                $"The zfs get output gives {SafeText.Show(name)} readonly={SafeText.Show(row.Value)}; expected on or off."),
        };
        return row.ParseSource(out _) == ZfsPropertySource.Temporary ? !shown : shown;
    }

    private static string? Text(Dictionary<string, ZfsPropertyRow> properties, string name, string property, bool required)
    {
        if (properties.TryGetValue(property, out var row))
        {
            return row.Value;
        }

        return required
            ? throw new FormatException($"The zfs get output has no {property} for {SafeText.Show(name)}.")
            : null;
    }

    private static ulong Unsigned(Dictionary<string, ZfsPropertyRow> properties, string name, string property)
    {
        var text = Text(properties, name, property, required: true)!;
        return ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw NotANumber(name, property, text);
    }

    private static long Size(Dictionary<string, ZfsPropertyRow> properties, string name, string property)
    {
        var text = Text(properties, name, property, required: true)!;
        return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw NotANumber(name, property, text);
    }

    private static DateTimeOffset Creation(Dictionary<string, ZfsPropertyRow> properties, string name)
    {
        const long LastSecondOfYear9999 = 253402300799;
        var seconds = Size(properties, name, "creation");
        return seconds <= LastSecondOfYear9999
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : throw new FormatException($"The zfs get output gives {SafeText.Show(name)} creation={seconds}, beyond any date.");
    }

    private static FormatException NotANumber(string name, string property, string text) =>
        new($"The zfs get output gives {SafeText.Show(name)} {property}={SafeText.Show(text)}, which is not a whole number; " +
            "was it run with -p (parsable values)?");
}
