namespace MigrationTools.Engine.Zfs;

/// <summary>What a failed <c>zfs</c> command reported, as far as the engine tells failures apart.</summary>
public enum ZfsFailure
{
    /// <summary>A failure with no more specific kind; the message and standard error say what.</summary>
    Other,

    /// <summary>The dataset, snapshot or pool does not exist.</summary>
    DoesNotExist,

    /// <summary>The dataset or snapshot already exists.</summary>
    AlreadyExists,

    /// <summary>The dataset is busy: held, mounted and in use, or still being released after use.</summary>
    Busy,

    /// <summary>The snapshot already carries the hold tag.</summary>
    TagAlreadyExists,

    /// <summary>The snapshot does not carry the hold tag.</summary>
    NoSuchTag,

    /// <summary>The filesystem is not mounted.</summary>
    NotMounted,

    /// <summary>The filesystem is already mounted.</summary>
    AlreadyMounted,

    /// <summary>The receive target changed since its newest snapshot, so an incremental stream does not apply.</summary>
    DestinationModified,

    /// <summary>The dataset has no interrupted resumable receive to abort.</summary>
    NoResumableState,

    /// <summary>The <c>zfs</c> command is not installed, or is not one the engine recognises.</summary>
    Unavailable,
}
