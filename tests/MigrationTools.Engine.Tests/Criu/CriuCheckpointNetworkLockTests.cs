using MigrationTools.Engine.Criu;
using MigrationTools.Engine.Migrations;
using MigrationTools.Engine.Placement;
using MigrationTools.Engine.Remote;
using MigrationTools.Engine.Tests.Migrations;
using MigrationTools.Engine.Workloads;

namespace MigrationTools.Engine.Tests.Criu;

/// <summary>
/// When the live strategy touches a dump's network lock: only for a dump with established connections that was taken.
/// Nothing listens where these hosts are said to be, so contacting one fails the call, and not contacting one is seen.
/// </summary>
public sealed class CriuCheckpointNetworkLockTests : IDisposable
{
    private readonly MigrationHosts _nowhere = new(
        SshDestination.Parse("root@127.0.0.1:1"), SshDestination.Parse("root@127.0.0.1:2"),
        new SshOptions { ConfigFile = "/dev/null" }, WorkloadPaths.Default);

    private static MigrationRecord Checkpointed(bool tcpEstablished) => SampleRecords.New() with
    {
        CheckpointedProcess = new WorkloadProcess(4242, 341611),
        Settings = new MigrationSettings { Checkpoint = new CriuOptions { TcpEstablished = tcpEstablished } },
    };

    public void Dispose() => _nowhere.Dispose();

    [Fact]
    public async Task ADumpWithoutEstablishedConnectionsHasNoLockToRelease()
    {
        Assert.Equal(0, await CriuCheckpointStrategy.ReleaseSourceNetworkLockAsync(_nowhere, Checkpointed(false), CancellationToken.None));
        Assert.Equal(0, await CriuCheckpointStrategy.ReleaseSourceNetworkLockAsync(
            _nowhere, Checkpointed(true) with { CheckpointedProcess = null }, CancellationToken.None));
    }

    [Fact]
    public async Task ADumpWithEstablishedConnectionsHasItsLockReleasedOnTheSource()
    {
        var contact = await Assert.ThrowsAnyAsync<RemoteException>(() =>
            CriuCheckpointStrategy.ReleaseSourceNetworkLockAsync(_nowhere, Checkpointed(true), CancellationToken.None));

        Assert.Contains("127.0.0.1", contact.Message, StringComparison.Ordinal);
    }
}
