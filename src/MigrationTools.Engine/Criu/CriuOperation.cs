namespace MigrationTools.Engine.Criu;

/// <summary>What the engine was doing with CRIU when it failed.</summary>
public enum CriuOperation
{
    /// <summary><c>criu --version</c>, <c>criu check</c>: learning what the host's CRIU can do.</summary>
    Check,

    /// <summary><c>criu cpuinfo dump</c> / <c>check</c>: comparing the hosts' CPUs.</summary>
    CpuInfo,

    /// <summary><c>criu dump</c>: checkpointing a process tree.</summary>
    Dump,

    /// <summary>Continuing a tree a dump left stopped.</summary>
    Resume,

    /// <summary>Moving the images from one host to another.</summary>
    ShipImages,

    /// <summary><c>criu restore</c>: recreating a process tree from images.</summary>
    Restore,

    /// <summary>Removing the network lock a dump left on the source for the tree's established TCP connections.</summary>
    ReleaseNetworkLock,

    /// <summary><c>criu page-server</c>: receiving a streamed dump's pages on the destination.</summary>
    PageServer,

    /// <summary><c>criu lazy-pages</c>: pulling a post-copy's pages on the destination.</summary>
    LazyPages,

    /// <summary><c>criu pre-dump</c>: copying memory while the tree runs.</summary>
    PreDump,
}
