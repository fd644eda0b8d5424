namespace MigrationTools.Engine.Criu;

/// <summary>How a detached CRIU operation that moves memory (page server, lazy dump, lazy-pages daemon) stands.</summary>
internal enum CriuTransferState
{
    /// <summary>It still runs.</summary>
    Running,

    /// <summary>It ended with exit status 0: every page it was to move has moved.</summary>
    Finished,

    /// <summary>It ended with another exit status, or vanished without recording one.</summary>
    Failed,

    /// <summary>No such operation was started in that image directory on that host.</summary>
    Missing,
}
