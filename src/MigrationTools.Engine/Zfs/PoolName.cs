using System;

namespace MigrationTools.Engine.Zfs;

/// <summary>A validated ZFS pool name, such as <c>tank</c>.</summary>
public sealed record PoolName
{
    private PoolName(string value) => Value = value;

    /// <summary>The name.</summary>
    public string Value { get; }

    /// <summary>The pool's root dataset, which has the pool's name.</summary>
    public DatasetName RootDataset => DatasetName.Parse(Value);

    /// <summary>Validates <paramref name="value"/> as a pool name.</summary>
    /// <param name="value">The name.</param>
    /// <returns>The pool name.</returns>
    /// <exception cref="ArgumentException">The name is invalid; the message says why and what would do.</exception>
    public static PoolName Parse(string value)
    {
        var error = ZfsNameRules.PoolError(value);
        return error is null ? new PoolName(value) : throw new ArgumentException(error, nameof(value));
    }

    /// <summary>Validates <paramref name="value"/> as a pool name without throwing.</summary>
    /// <param name="value">The name.</param>
    /// <param name="name">The pool name, or <see langword="null"/> when invalid.</param>
    /// <returns>True when valid.</returns>
    public static bool TryParse(string? value, out PoolName? name)
    {
        name = ZfsNameRules.PoolError(value) is null ? new PoolName(value!) : null;
        return name is not null;
    }

    /// <summary>The name.</summary>
    /// <returns><see cref="Value"/>.</returns>
    public override string ToString() => Value;
}
