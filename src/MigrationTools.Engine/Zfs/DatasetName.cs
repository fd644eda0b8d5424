using System;
using System.Collections.Generic;
using MigrationTools.Engine.Remote;

namespace MigrationTools.Engine.Zfs;

/// <summary>A validated ZFS dataset name, such as <c>tank/workloads/web</c>.</summary>
public sealed record DatasetName
{
    private DatasetName(string value) => Value = value;

    /// <summary>The full name.</summary>
    public string Value { get; }

    /// <summary>The pool the dataset is in.</summary>
    public PoolName Pool => PoolName.Parse(Components[0]);

    /// <summary>The components between the slashes, pool first.</summary>
    public IReadOnlyList<string> Components => Value.Split('/');

    /// <summary>The last component.</summary>
    public string Leaf => Value.Substring(Value.LastIndexOf('/') + 1);

    /// <summary>True for a pool's root dataset, which has no parent.</summary>
    public bool IsRoot => Value.IndexOf('/') < 0;

    /// <summary>The parent dataset, or <see langword="null"/> for a pool's root dataset.</summary>
    public DatasetName? Parent => IsRoot ? null : new DatasetName(Value.Substring(0, Value.LastIndexOf('/')));

    /// <summary>Validates <paramref name="value"/> as a dataset name.</summary>
    /// <param name="value">The name.</param>
    /// <returns>The dataset name.</returns>
    /// <exception cref="ArgumentException">The name is invalid; the message says why and what would do.</exception>
    public static DatasetName Parse(string value)
    {
        var error = ZfsNameRules.DatasetError(value);
        return error is null ? new DatasetName(value) : throw new ArgumentException(error, nameof(value));
    }

    /// <summary>Validates <paramref name="value"/> as a dataset name without throwing.</summary>
    /// <param name="value">The name.</param>
    /// <param name="name">The dataset name, or <see langword="null"/> when invalid.</param>
    /// <returns>True when valid.</returns>
    public static bool TryParse(string? value, out DatasetName? name)
    {
        name = ZfsNameRules.DatasetError(value) is null ? new DatasetName(value!) : null;
        return name is not null;
    }

    /// <summary>The child dataset named <paramref name="component"/>.</summary>
    /// <param name="component">One component, without '/'.</param>
    /// <returns>The child's name.</returns>
    /// <exception cref="ArgumentException">The component is invalid or the name would be too long.</exception>
    public DatasetName Child(string component)
    {
        if (component is null || component.IndexOf('/') >= 0)
        {
            throw new ArgumentException(
                $"A child dataset is named by one component without '/'; got {SafeText.Show(component)}.", nameof(component));
        }

        return Parse(Value + "/" + component);
    }

    /// <summary>The snapshot <c>dataset@<paramref name="name"/></c>.</summary>
    /// <param name="name">The snapshot's short name.</param>
    /// <returns>The snapshot name.</returns>
    /// <exception cref="ArgumentException">The short name is invalid or the name would be too long.</exception>
    public SnapshotName Snapshot(string name) => SnapshotName.Parse(Value + "@" + name);

    /// <summary>True when this dataset is <paramref name="other"/> or lies below it.</summary>
    /// <param name="other">The possible ancestor.</param>
    /// <returns>True for the same dataset or a descendant.</returns>
    internal bool IsSelfOrDescendantOf(DatasetName other)
    {
        if (other is null)
        {
            throw new ArgumentNullException(nameof(other));
        }

        return Value == other.Value || Value.StartsWith(other.Value + "/", StringComparison.Ordinal);
    }

    /// <summary>The full name.</summary>
    /// <returns><see cref="Value"/>.</returns>
    public override string ToString() => Value;
}
