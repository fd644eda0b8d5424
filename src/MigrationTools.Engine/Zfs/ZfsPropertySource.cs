namespace MigrationTools.Engine.Zfs;

/// <summary>Where a property's value comes from, as the <c>source</c> column of <c>zfs get</c> says.</summary>
public enum ZfsPropertySource
{
    /// <summary>No value anywhere (<c>-</c>), or a read-only native property.</summary>
    None,

    /// <summary>Set on this dataset.</summary>
    Local,

    /// <summary>The built-in default.</summary>
    Default,

    /// <summary>Inherited from an ancestor.</summary>
    Inherited,

    /// <summary>Set by a received stream.</summary>
    Received,

    /// <summary>A mount option overrides the property for the current mount.</summary>
    Temporary,
}
