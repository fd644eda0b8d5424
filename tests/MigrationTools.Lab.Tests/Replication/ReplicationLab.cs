using MigrationTools.Engine.Replication;
using MigrationTools.Engine.Zfs;
using MigrationTools.Lab.Tests.Lab;

namespace MigrationTools.Lab.Tests.Replication;

/// <summary>A source and target dataset pair on h1 and h2 for one test, with checksums and cleanup.</summary>
internal sealed class ReplicationLab : IAsyncDisposable
{
    private readonly LabFixture _lab;

    public ReplicationLab(LabFixture lab, string sourceHost = "h1", string targetHost = "h2")
    {
        _lab = lab;
        Id = Guid.NewGuid().ToString("N")[..10];
        SourceHost = sourceHost;
        TargetHost = targetHost;
        SourceDataset = DatasetName.Parse($"{lab.Pool}/rep-{Id}");
        TargetDataset = DatasetName.Parse($"{lab.Pool}/copy-{Id}");
        SourceConnection = lab.Connect(sourceHost);
        TargetConnection = lab.Connect(targetHost);
        Replicator = new ZfsReplicator(new ZfsHost(SourceConnection), new ZfsHost(TargetConnection));
    }

    public string Id { get; }

    public string SourceHost { get; }

    public string TargetHost { get; }

    public DatasetName SourceDataset { get; }

    public DatasetName TargetDataset { get; }

    public Engine.Remote.SshConnection SourceConnection { get; }

    public Engine.Remote.SshConnection TargetConnection { get; }

    public ZfsReplicator Replicator { get; }

    public ReplicationRequest Request => new(SourceDataset, TargetDataset, "t" + Id);

    public Task<string> OnSourceAsync(string commandLine) => _lab.SshCheckedAsync(SourceHost, commandLine);

    public Task<string> OnTargetAsync(string commandLine) => _lab.SshCheckedAsync(TargetHost, commandLine);

    /// <summary>Checksums of every file under a dataset's mountpoint, relative paths sorted, one a line.</summary>
    public static string ChecksumCommand(DatasetName dataset) =>
        $"cd /{dataset.Value} && find . -type f -print0 | sort -z | xargs -0 -r sha256sum";

    public async Task<string> SourceChecksumsAsync() => await OnSourceAsync(ChecksumCommand(SourceDataset));

    public async Task<string> TargetChecksumsAsync() => await OnTargetAsync(ChecksumCommand(TargetDataset));

    public async ValueTask DisposeAsync()
    {
        try
        {
            await Replicator.ReleaseAsync(Request, destroySnapshots: false);
        }
        catch (Exception exception) when (exception is Engine.Remote.RemoteException or InvalidOperationException)
        {
            // The datasets go below whatever state the test left them in.
        }

        foreach (var (host, dataset) in new[] { (SourceHost, SourceDataset), (TargetHost, TargetDataset) })
        {
            await _lab.SshAsync(host,
                $"for s in $(zfs list -H -o name -t snapshot -r {dataset.Value} 2>/dev/null); do " +
                $"zfs release {Request.HoldTag.Value} $s 2>/dev/null; done; true");
            await _lab.DestroyDatasetAsync(host, dataset.Value);
        }

        SourceConnection.Dispose();
        TargetConnection.Dispose();
    }
}
