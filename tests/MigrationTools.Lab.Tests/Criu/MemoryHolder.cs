using System.Globalization;
using MigrationTools.Engine.Remote;
using MigrationTools.Engine.Workloads;
using MigrationTools.Lab.Tests.Lab;

namespace MigrationTools.Lab.Tests.Criu;

/// <summary>
/// A process tree on a lab host that holds MiB of random memory and, when asked, writes the SHA-256 of that memory:
/// started as the engine starts workloads (the init of its own PID namespace), so CRIU can move it between hosts.
/// </summary>
internal sealed class MemoryHolder(LabFixture lab, int mebibytes)
{
    // argv: directory, MiB. Writes DIR/sum once filled; afterwards, whenever DIR/ask appears, removes it and writes DIR/sum again.
    private const string Program = """
        import hashlib, os, sys, time
        d, n = sys.argv[1], int(sys.argv[2]) << 20
        buf = bytearray(n)
        for i in range(0, n, 1 << 24):
            buf[i:i + (1 << 24)] = os.urandom(min(1 << 24, n - i))
        def report():
            with open(d + '/sum.new', 'w') as f:
                f.write(hashlib.sha256(buf).hexdigest())
            os.rename(d + '/sum.new', d + '/sum')
        os.chdir('/')
        report()
        while True:
            time.sleep(0.05)
            if os.path.exists(d + '/ask'):
                os.unlink(d + '/ask')
                report()
        """;

    /// <summary>Its directory on every host it runs on: where it writes its checksum.</summary>
    public string Directory { get; } = "/run/mt-memory-holder-" + Guid.NewGuid().ToString("N")[..10];

    /// <summary>Creates the directory on the hosts, then starts the holder on <paramref name="host"/>.</summary>
    public async Task<WorkloadProcess> StartAsync(string host, params string[] otherHosts)
    {
        foreach (var h in otherHosts.Prepend(host))
        {
            await lab.SshCheckedAsync(h, $"mkdir -p {Directory}");
        }

        await lab.SshCheckedAsync(host,
            $"setsid -f unshare --pid --fork -- setsid python3 -c {ShellQuote.Quote(Program)} {Directory} {mebibytes.ToString(CultureInfo.InvariantCulture)} " +
            "</dev/null >/dev/null 2>&1");
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            var found = (await lab.SshAsync(host,
                $"for p in $(pgrep -x python3); do grep -qF {Directory} /proc/$p/cmdline 2>/dev/null && grep -q 'NSpid:.*\t1$' /proc/$p/status && " +
                "{ printf '%s ' $p; awk '{ sub(/^.*\\) /, \"\"); print $20 }' /proc/$p/stat; }; done")).Text.Trim();
            if (found.Length > 0 && WorkloadProcess.TryParse(found) is { } process
                && (await lab.SshAsync(host, $"test -s {Directory}/sum")).ExitCode == 0)
            {
                return process;
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"The memory holder did not start on {host} within 60 s.");
    }

    /// <summary>Asks the holder running on <paramref name="host"/> for its memory's checksum, and waits for it.</summary>
    public async Task<string> ChecksumAsync(string host, TimeSpan? limit = null)
    {
        await lab.SshCheckedAsync(host, $"rm -f {Directory}/sum && touch {Directory}/ask");
        var deadline = DateTime.UtcNow + (limit ?? TimeSpan.FromSeconds(60));
        while (DateTime.UtcNow < deadline)
        {
            var sum = (await lab.SshAsync(host, $"cat {Directory}/sum 2>/dev/null")).Text.Trim();
            if (sum.Length == 64)
            {
                return sum;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"The memory holder on {host} wrote no checksum.");
    }

    /// <summary>The checksum it wrote when it had filled its memory.</summary>
    public async Task<string> FirstChecksumAsync(string host) => (await lab.SshCheckedAsync(host, $"cat {Directory}/sum")).Trim();

    /// <summary>The process state letter of <paramref name="pid"/> on <paramref name="host"/>; empty when it is gone.</summary>
    public async Task<string> StateAsync(string host, int pid) =>
        (await lab.SshAsync(host, $"awk '{{ sub(/^.*\\) /, \"\"); print $1 }}' /proc/{pid}/stat 2>/dev/null")).Text.Trim();

    /// <summary>Kills the holder's trees (by the PIDs given, each only if it runs this holder) and removes its directory.</summary>
    public async Task CleanUpAsync(IEnumerable<(string Host, int Pid)> processes, IEnumerable<string> hosts)
    {
        foreach (var (host, pid) in processes)
        {
            await lab.SshAsync(host, $"grep -qF {Directory} /proc/{pid}/cmdline 2>/dev/null && kill -9 {pid}");
        }

        foreach (var host in hosts)
        {
            await lab.SshAsync(host, $"rm -rf {Directory}");
        }
    }
}
