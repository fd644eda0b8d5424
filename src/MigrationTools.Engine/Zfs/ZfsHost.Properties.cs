using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using MigrationTools.Engine.Remote;

namespace MigrationTools.Engine.Zfs;

// ZfsHost: user properties and the readonly property.
public sealed partial class ZfsHost
{
    /// <summary>A user property's value on a dataset, set there or inherited.</summary>
    /// <param name="dataset">The dataset.</param>
    /// <param name="name">The property.</param>
    /// <param name="cancellationToken">Stops the command.</param>
    /// <returns>The value and its source, or <see langword="null"/> when neither the dataset nor an ancestor sets it.</returns>
    /// <exception cref="ZfsCommandException">It failed; <see cref="ZfsFailure.DoesNotExist"/> when the dataset does not exist.</exception>
    public async Task<ZfsUserProperty?> GetUserPropertyAsync(
        DatasetName dataset, ZfsUserPropertyName name, CancellationToken cancellationToken = default)
    {
        if (dataset is null)
        {
            throw new ArgumentNullException(nameof(dataset));
        }

        if (name is null)
        {
            throw new ArgumentNullException(nameof(name));
        }

        var result = await RunAsync(
            RemoteCommand.Create("zfs", "get", "-H", "-p", "-o", ZfsPropertyRow.Columns, name.Value, dataset.Value),
            cancellationToken).ConfigureAwait(false);
        return ZfsPropertyRow.ParseAll(result.Text).Select(row => ToUserProperty(dataset, row)).FirstOrDefault(p => p is not null);
    }

    /// <summary>Every property of <paramref name="datasets"/>, with where each value comes from, in one command.</summary>
    /// <param name="datasets">The datasets.</param>
    /// <param name="cancellationToken">Stops the command.</param>
    /// <returns>The rows of <c>zfs get all</c>, named by dataset.</returns>
    /// <exception cref="ZfsCommandException">The command failed, for example because a dataset does not exist.</exception>
    internal async Task<IReadOnlyList<ZfsPropertyRow>> GetPropertiesAsync(IReadOnlyList<DatasetName> datasets, CancellationToken cancellationToken)
    {
        var argv = new List<string> { "zfs", "get", "-H", "-p", "-o", ZfsPropertyRow.Columns, "all" };
        argv.AddRange(datasets.Select(d => d.Value));
        var result = await RunAsync(RemoteCommand.Create(argv), cancellationToken).ConfigureAwait(false);
        return ZfsPropertyRow.ParseAll(result.Text);
    }

    /// <summary>Sets a user property on a dataset; its descendants inherit it unless they set their own.</summary>
    /// <param name="dataset">The dataset.</param>
    /// <param name="name">The property.</param>
    /// <param name="value">The value.</param>
    /// <param name="cancellationToken">Stops the command.</param>
    /// <returns>A task that completes when the property is set.</returns>
    public Task SetUserPropertyAsync(
        DatasetName dataset, ZfsUserPropertyName name, ZfsUserPropertyValue value, CancellationToken cancellationToken = default)
    {
        if (dataset is null)
        {
            throw new ArgumentNullException(nameof(dataset));
        }

        if (name is null)
        {
            throw new ArgumentNullException(nameof(name));
        }

        if (value is null)
        {
            throw new ArgumentNullException(nameof(value));
        }

        // One argument word: zfs splits it at the first '=', and a valid name holds none.
        return RunAsync(RemoteCommand.Create("zfs", "set", name.Value + "=" + value.Value, dataset.Value), cancellationToken);
    }

    /// <summary>
    /// Removes a user property set on a dataset, so that it inherits its parent's value, or has none.
    /// </summary>
    /// <param name="dataset">The dataset.</param>
    /// <param name="name">The property.</param>
    /// <param name="recursive">Remove it from every descendant too.</param>
    /// <param name="cancellationToken">Stops the command.</param>
    /// <returns>A task that completes when the property is cleared.</returns>
    public Task InheritUserPropertyAsync(
        DatasetName dataset, ZfsUserPropertyName name, bool recursive = false, CancellationToken cancellationToken = default)
    {
        if (dataset is null)
        {
            throw new ArgumentNullException(nameof(dataset));
        }

        if (name is null)
        {
            throw new ArgumentNullException(nameof(name));
        }

        return RunAsync(Zfs("inherit", recursive ? "-r" : null, name.Value, dataset.Value), cancellationToken);
    }

    /// <summary>Sets the <c>readonly</c> property of a dataset; its descendants inherit it.</summary>
    /// <param name="dataset">The dataset.</param>
    /// <param name="readOnly">True for <c>readonly=on</c>.</param>
    /// <param name="cancellationToken">Stops the command.</param>
    /// <returns>A task that completes when the property is set.</returns>
    /// <remarks>
    /// On zfs-fuse a mounted filesystem refuses writes (and access-time updates) at once, yet
    /// <c>zfs get readonly</c> then shows "off" with source "temporary", from the FUSE mount's <c>rw</c> option;
    /// <see cref="ZfsDataset.ReadOnly"/> reports the property as set.
    /// </remarks>
    public Task SetReadOnlyAsync(DatasetName dataset, bool readOnly, CancellationToken cancellationToken = default) =>
        RunAsync(
            RemoteCommand.Create("zfs", "set", readOnly ? "readonly=on" : "readonly=off", (dataset ?? throw new ArgumentNullException(nameof(dataset))).Value),
            cancellationToken);

    private static ZfsUserProperty? ToUserProperty(DatasetName dataset, ZfsPropertyRow row)
    {
        var source = row.ParseSource(out var inheritedFrom);
        return source != ZfsPropertySource.None && ZfsUserPropertyName.TryParse(row.Property, out var name)
            ? new ZfsUserProperty(dataset, name!, row.Value, source, inheritedFrom)
            : null;
    }
}
