namespace MigrationTools.Engine.Zfs;

/// <summary>A user property's value on one dataset, and where it comes from.</summary>
/// <param name="Dataset">The dataset it was read on.</param>
/// <param name="Name">The property.</param>
/// <param name="Value">The value, as ZFS stores it.</param>
/// <param name="Source">Local, inherited or received.</param>
/// <param name="InheritedFrom">The ancestor it is inherited from, when <paramref name="Source"/> is <see cref="ZfsPropertySource.Inherited"/>.</param>
public sealed record ZfsUserProperty(
    DatasetName Dataset,
    ZfsUserPropertyName Name,
    string Value,
    ZfsPropertySource Source,
    DatasetName? InheritedFrom);
