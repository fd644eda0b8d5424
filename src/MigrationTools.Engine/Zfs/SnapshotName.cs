using System;

namespace MigrationTools.Engine.Zfs;

/// <summary>A validated ZFS snapshot name: <c>dataset@name</c>, for example 'tank/web@mt-1'.</summary>
public sealed record SnapshotName
{
    private const string Kind = "snapshot name";
    private const string Example = "for example 'tank/web@mt-1'";

    private SnapshotName(string value) => Value = value;

    /// <summary>The full name, <c>dataset@name</c>.</summary>
    public string Value { get; }

    /// <summary>The dataset the snapshot belongs to.</summary>
    public DatasetName Dataset => DatasetName.Parse(Value.Substring(0, Value.IndexOf('@')));

    /// <summary>The part after <c>@</c>.</summary>
    public string ShortName => Value.Substring(Value.IndexOf('@') + 1);

    /// <summary>Validates <paramref name="value"/> as a snapshot name.</summary>
    /// <param name="value">The full name, <c>dataset@name</c>.</param>
    /// <returns>The snapshot name.</returns>
    /// <exception cref="ArgumentException">The name is invalid; the message says why and what would do.</exception>
    public static SnapshotName Parse(string value)
    {
        var error = ZfsNameRules.QualifiedError(value, '@', Kind, Example);
        return error is null ? new SnapshotName(value) : throw new ArgumentException(error, nameof(value));
    }

    /// <summary>Validates <paramref name="value"/> as a snapshot name without throwing.</summary>
    /// <param name="value">The full name.</param>
    /// <param name="name">The snapshot name, or <see langword="null"/> when invalid.</param>
    /// <returns>True when valid.</returns>
    public static bool TryParse(string? value, out SnapshotName? name)
    {
        name = ZfsNameRules.QualifiedError(value, '@', Kind, Example) is null ? new SnapshotName(value!) : null;
        return name is not null;
    }

    /// <summary>The full name.</summary>
    /// <returns><see cref="Value"/>.</returns>
    public override string ToString() => Value;
}
