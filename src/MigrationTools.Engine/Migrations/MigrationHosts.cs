using System;
using MigrationTools.Engine.Criu;
using MigrationTools.Engine.Remote;
using MigrationTools.Engine.Replication;
using MigrationTools.Engine.Workloads;

namespace MigrationTools.Engine.Migrations;

/// <summary>The two hosts of one migration, as the engine talks to them during one phase.</summary>
internal sealed class MigrationHosts : IDisposable
{
    /// <summary>A command that proves a host answers now (an open shared connection may have died since).</summary>
    public static readonly RemoteCommand Reachable = RemoteCommand.Create("true");

    private readonly IDisposable? _release;

    public MigrationHosts(SshDestination source, SshDestination destination, SshOptions options, WorkloadPaths paths)
        : this(new SshConnection(source, options), new SshConnection(destination, options), paths, null)
    {
    }

    /// <summary>Over connections shared with other phases: disposing runs <paramref name="release"/> instead of closing them.</summary>
    public MigrationHosts(SshConnection source, SshConnection destination, WorkloadPaths paths, IDisposable? release)
    {
        _release = release;
        SourceConnection = source ?? throw new ArgumentNullException(nameof(source));
        DestinationConnection = destination ?? throw new ArgumentNullException(nameof(destination));
        Source = new WorkloadHost(SourceConnection, paths);
        Destination = new WorkloadHost(DestinationConnection, paths);
        SourceCriu = new CriuHost(SourceConnection);
        DestinationCriu = new CriuHost(DestinationConnection);
        Replicator = new ZfsReplicator(Source.Zfs, Destination.Zfs);
    }

    public SshConnection SourceConnection { get; }

    public SshConnection DestinationConnection { get; }

    public WorkloadHost Source { get; }

    public WorkloadHost Destination { get; }

    public CriuHost SourceCriu { get; }

    public CriuHost DestinationCriu { get; }

    public ZfsReplicator Replicator { get; }

    public string SourceName => SourceConnection.Destination.ToString();

    public string DestinationName => DestinationConnection.Destination.ToString();

    public void Dispose()
    {
        if (_release is not null)
        {
            _release.Dispose();
            return;
        }

        SourceConnection.Dispose();
        DestinationConnection.Dispose();
    }
}
