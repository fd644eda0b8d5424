namespace MigrationTools.Engine.Workloads;

/// <summary>Who may move a workload.</summary>
public enum MigrationPolicy
{
    /// <summary>Never moved by the engine; a person moves it by hand (<c>manual</c>).</summary>
    Manual,

    /// <summary>Moved when a person asks for it (<c>allowed</c>, the default).</summary>
    Allowed,

    /// <summary>May also be moved by automation, such as draining a host (<c>automatic</c>).</summary>
    Automatic,
}
