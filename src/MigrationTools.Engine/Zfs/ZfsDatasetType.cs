namespace MigrationTools.Engine.Zfs;

/// <summary>The kind of a dataset that holds data (snapshots are listed apart, as <see cref="ZfsSnapshot"/>).</summary>
public enum ZfsDatasetType
{
    /// <summary>A filesystem, mountable.</summary>
    Filesystem,

    /// <summary>A volume (block device).</summary>
    Volume,
}
