namespace MigrationTools.Engine.Replication;

/// <summary>
/// Whether a replication stream is compressed on the wire. Off by default: on a fast link with busy CPUs
/// compression costs more than it saves (measured on the lab: zstd -1 lowered a direct stream from ~190 to
/// ~150 MiB/s), while on a slow WAN link it can double the effective rate.
/// </summary>
public enum StreamCompression
{
    /// <summary>The stream travels as <c>zfs send</c> writes it.</summary>
    None,

    /// <summary>zstd when both hosts have it, else lz4 when both have that, else none.</summary>
    Auto,

    /// <summary>zstd (level 1); refused when either host lacks it.</summary>
    Zstd,

    /// <summary>lz4; refused when either host lacks it.</summary>
    Lz4,
}
