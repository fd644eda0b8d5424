using MigrationTools.Lab.Tests.Lab;

namespace MigrationTools.Lab.Tests.Smoke;

/// <summary>A command run over ssh on host N sees host N's filesystem, processes and pool, and no other's.</summary>
[Collection(LabCollection.Name)]
public sealed class HostIsolationTests(LabFixture lab)
{
    [LabFact]
    public async Task EachHostSeesItsOwnFilesProcessesAndPool()
    {
        var marker = $"isolation-{Guid.NewGuid():N}"[..24];
        // A sleep no other test runs, so counting it counts only ours.
        var sleep = $"sleep 3000.{Random.Shared.Next(100000, 999999)}";
        try
        {
            foreach (var host in lab.Hosts)
            {
                await lab.SshCheckedAsync(host.Name,
                    $"echo {host.Name} > /root/{marker} && zfs create {lab.Pool}/{marker}-{host.Name} && " +
                    $"{{ {sleep} </dev/null >/dev/null 2>&1 & echo $! > /run/{marker}.pid; }}");
            }

            foreach (var host in lab.Hosts)
            {
                var view = await lab.SshCheckedAsync(host.Name,
                    $"hostname; cat /root/{marker}; zfs list -H -o name -r {lab.Pool} | grep {marker}; " +
                    $"ps -o comm= -p 1; pgrep -x -f '{sleep}' | wc -l");
                var lines = view.Split('\n', StringSplitOptions.RemoveEmptyEntries);

                Assert.Equal(host.Name, lines[0]);
                Assert.Equal(host.Name, lines[1]);
                Assert.Equal($"{lab.Pool}/{marker}-{host.Name}", lines[2]);
                Assert.Equal("tini", lines[3]);
                Assert.Equal("1", lines[4].Trim());
            }

            var namespaces = new HashSet<string>();
            foreach (var host in lab.Hosts)
            {
                namespaces.Add((await lab.SshCheckedAsync(host.Name, "readlink /proc/self/ns/pid")).Trim());
            }

            Assert.Equal(lab.Hosts.Count, namespaces.Count);
        }
        finally
        {
            foreach (var host in lab.Hosts)
            {
                await lab.SshAsync(host.Name,
                    $"kill $(cat /run/{marker}.pid) 2>/dev/null; rm -f /root/{marker} /run/{marker}.pid; " +
                    $"zfs destroy {lab.Pool}/{marker}-{host.Name} 2>/dev/null || (sleep 1; zfs destroy {lab.Pool}/{marker}-{host.Name})");
            }
        }
    }
}
