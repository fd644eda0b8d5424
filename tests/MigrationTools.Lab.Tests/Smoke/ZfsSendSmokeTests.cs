using MigrationTools.Lab.Tests.Lab;

namespace MigrationTools.Lab.Tests.Smoke;

/// <summary>The lab's ZFS and ssh, used directly: a dataset sent from h1 to h2 arrives intact.</summary>
[Collection(LabCollection.Name)]
public sealed class ZfsSendSmokeTests(LabFixture lab)
{
    [LabFact]
    public async Task SnapshotSentOverSshArrivesWithTheSameChecksum()
    {
        var dataset = $"{lab.Pool}/smoke-send-{Guid.NewGuid():N}"[..32];
        try
        {
            var sourceSum = await lab.SshCheckedAsync("h1",
                $"zfs create {dataset} && head -c 8388608 /dev/urandom > /{dataset}/payload && " +
                $"zfs snapshot {dataset}@one && sha256sum /{dataset}/payload");

            var pipe = await Shell.RunAsync("bash", ["-c",
                $"set -o pipefail; ssh -F '{lab.SshConfigPath}' h1 'zfs send {dataset}@one' | " +
                $"ssh -F '{lab.SshConfigPath}' h2 'zfs receive {dataset}'"], TimeSpan.FromMinutes(5));
            pipe.EnsureSuccess();

            // zfs-fuse can serve stale pages for a freshly received dataset until it is remounted.
            var targetSum = await lab.SshCheckedAsync("h2",
                $"zfs umount {dataset}; zfs mount {dataset}; sha256sum /{dataset}/payload");
            var snapshots = await lab.SshCheckedAsync("h2", $"zfs list -H -t snapshot -o name -r {dataset}");

            Assert.Equal(Digest(sourceSum), Digest(targetSum));
            Assert.Equal($"{dataset}@one", snapshots.Trim());
        }
        finally
        {
            await DestroyEverywhereAsync(dataset);
        }
    }

    private static string Digest(string sha256sumLine) => sha256sumLine.Split(' ', 2)[0];

    private async Task DestroyEverywhereAsync(string dataset)
    {
        foreach (var host in new[] { "h1", "h2" })
        {
            await lab.SshAsync(host, $"zfs destroy -r {dataset} 2>/dev/null || (sleep 1; zfs destroy -r {dataset}) || true");
        }
    }
}
