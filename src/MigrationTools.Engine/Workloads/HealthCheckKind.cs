namespace MigrationTools.Engine.Workloads;

/// <summary>How a <see cref="HealthCheck"/> decides that a workload is healthy.</summary>
public enum HealthCheckKind
{
    /// <summary>A command run on the workload's host exits with status 0.</summary>
    Command,

    /// <summary>A TCP port on the workload's host accepts a connection.</summary>
    TcpPort,

    /// <summary>An HTTP(S) URL on the workload's host answers with a 2xx status.</summary>
    HttpUrl,
}
