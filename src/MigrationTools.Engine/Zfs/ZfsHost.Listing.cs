using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using MigrationTools.Engine.Remote;

namespace MigrationTools.Engine.Zfs;

// ZfsHost: listings and questions: datasets, snapshots, existence, free space, GUIDs.
public sealed partial class ZfsHost
{
    /// <summary>Lists <paramref name="dataset"/>, with its children when asked, and their snapshots.</summary>
    /// <param name="dataset">The dataset.</param>
    /// <param name="recursive">Include every descendant dataset.</param>
    /// <param name="cancellationToken">Stops the command.</param>
    /// <returns>The listing; <see cref="ZfsListing.Empty"/> when the dataset does not exist.</returns>
    public async Task<ZfsListing> ListAsync(DatasetName dataset, bool recursive = true, CancellationToken cancellationToken = default)
    {
        if (dataset is null)
        {
            throw new ArgumentNullException(nameof(dataset));
        }

        // -d 1 is the depth that reaches a dataset's snapshots; it brings its direct children along.
        var argv = new List<string> { "zfs", "get", "-H", "-p" };
        if (recursive)
        {
            argv.Add("-r");
        }
        else
        {
            argv.Add("-d");
            argv.Add("1");
        }

        argv.Add("-o");
        argv.Add(ZfsPropertyRow.Columns);
        argv.Add(ZfsListing.Properties);
        argv.Add(dataset.Value);
        var result = await Connection.ExecuteAsync(RemoteCommand.Create(argv), cancellationToken).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            var failure = ZfsCommandException.From(result);
            return failure.Failure == ZfsFailure.DoesNotExist ? ZfsListing.Empty : throw failure;
        }

        var listing = ZfsListing.Parse(result.Text);
        if (recursive)
        {
            return listing;
        }

        return new ZfsListing(
            listing.Datasets.Where(d => d.Name == dataset).ToArray(),
            listing.UnsupportedNames.Where(n => n.StartsWith(dataset.Value + "@", StringComparison.Ordinal)).ToArray());
    }

    /// <summary>One dataset and its snapshots, without its children.</summary>
    /// <param name="dataset">The dataset.</param>
    /// <param name="cancellationToken">Stops the command.</param>
    /// <returns>The dataset, or <see langword="null"/> when it does not exist.</returns>
    public async Task<ZfsDataset?> GetDatasetAsync(DatasetName dataset, CancellationToken cancellationToken = default) =>
        (await ListAsync(dataset, recursive: false, cancellationToken).ConfigureAwait(false)).Find(dataset);

    /// <summary>True when the dataset exists.</summary>
    /// <param name="dataset">The dataset.</param>
    /// <param name="cancellationToken">Stops the command.</param>
    /// <returns>True when it exists.</returns>
    public Task<bool> ExistsAsync(DatasetName dataset, CancellationToken cancellationToken = default) =>
        ExistsAsync((dataset ?? throw new ArgumentNullException(nameof(dataset))).Value, cancellationToken);

    /// <summary>True when the snapshot exists.</summary>
    /// <param name="snapshot">The snapshot.</param>
    /// <param name="cancellationToken">Stops the command.</param>
    /// <returns>True when it exists.</returns>
    public Task<bool> ExistsAsync(SnapshotName snapshot, CancellationToken cancellationToken = default) =>
        ExistsAsync((snapshot ?? throw new ArgumentNullException(nameof(snapshot))).Value, cancellationToken);

    /// <summary>
    /// The bytes the pool's datasets can still use: the <c>available</c> property of its root dataset, which
    /// (unlike the pool's raw free space) leaves out reservations and the space ZFS keeps back.
    /// </summary>
    /// <param name="pool">The pool.</param>
    /// <param name="cancellationToken">Stops the command.</param>
    /// <returns>The free space in bytes.</returns>
    public async Task<long> GetPoolFreeSpaceAsync(PoolName pool, CancellationToken cancellationToken = default)
    {
        if (pool is null)
        {
            throw new ArgumentNullException(nameof(pool));
        }

        // zpool's -p (parsable values) is missing on zfs-fuse; zfs get -p exists everywhere.
        var result = await RunAsync(
            RemoteCommand.Create("zfs", "get", "-H", "-p", "-o", "value", "available", pool.Value), cancellationToken).ConfigureAwait(false);
        var text = result.Text.Trim();
        return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var bytes)
            ? bytes
            : throw new FormatException($"zfs get available {pool.Value} printed {SafeText.Show(text)}, not a number of bytes.");
    }

    /// <summary>The GUIDs of <paramref name="snapshots"/>, in one command.</summary>
    /// <param name="snapshots">The snapshots.</param>
    /// <param name="cancellationToken">Stops the command.</param>
    /// <returns>Each snapshot that exists, with its GUID; one that does not is absent.</returns>
    /// <exception cref="ZfsCommandException">The command failed for another reason.</exception>
    internal async Task<IReadOnlyDictionary<SnapshotName, ulong>> GetSnapshotGuidsAsync(
        IReadOnlyList<SnapshotName> snapshots, CancellationToken cancellationToken = default)
    {
        if (snapshots is null || snapshots.Count == 0)
        {
            throw new ArgumentException("At least one snapshot is needed.", nameof(snapshots));
        }

        return ParseGuids(await Connection.ExecuteAsync(RemoteCommand.Create(ZfsSnapshotGuids.Arguments(snapshots)), cancellationToken).ConfigureAwait(false));
    }

    // zfs get prints the snapshots it found and fails for the one it did not: absent from the answer, not an error.
    private static IReadOnlyDictionary<SnapshotName, ulong> ParseGuids(RemoteResult result) =>
        result.Succeeded || ZfsCommandException.Classify(result.ExitCode, result.StandardError) == ZfsFailure.DoesNotExist
            ? ZfsSnapshotGuids.Parse(result.Text)
            : throw ZfsCommandException.From(result);

    private async Task<bool> ExistsAsync(string name, CancellationToken cancellationToken)
    {
        var result = await Connection.ExecuteAsync(
            RemoteCommand.Create("zfs", "get", "-H", "-o", "value", "type", name), cancellationToken).ConfigureAwait(false);
        return Changed(result, ZfsFailure.DoesNotExist);
    }
}
