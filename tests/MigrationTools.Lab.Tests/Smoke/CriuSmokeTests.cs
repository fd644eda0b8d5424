using System.Text.Json.Serialization;
using MigrationTools.Lab.Tests.Lab;

namespace MigrationTools.Lab.Tests.Smoke;

/// <summary>
/// The lab's CRIU, used directly: a live counter service is checkpointed on h1, its dataset delta and
/// images are shipped to h2 over ssh, and it is restored there with its memory and port intact.
/// </summary>
[Collection(LabCollection.Name)]
public sealed class CriuSmokeTests(LabFixture lab)
{
    private static readonly string CounterScript =
        Path.Combine(LabEnvironment.RepositoryRoot, "tests", "lab", "workloads", "counter.py");

    [LabFact]
    public async Task CheckpointedServiceContinuesOnAnotherHost()
    {
        var id = Guid.NewGuid().ToString("N")[..12];
        var dataset = $"{lab.Pool}/smoke-criu-{id}";
        var images = $"/run/smoke-criu-{id}";
        var port = Random.Shared.Next(20000, 30000);
        var service = $"python3 /{dataset}/counter.py --data-dir /{dataset} --port {port}";
        var http = new LabHttp(lab);
        try
        {
            await lab.SshCheckedAsync("h1", $"zfs create {dataset}");
            await using (var script = File.OpenRead(CounterScript))
            {
                (await lab.SshAsync("h1", $"cat > /{dataset}/counter.py", script)).EnsureSuccess();
            }

            // The init of its own PID namespace and a session leader, stdio inside the host: dumpable as is.
            await lab.SshCheckedAsync("h1",
                $"cd /{dataset} && setsid -f unshare --pid --fork setsid {service} </dev/null >/dev/null 2>&1");
            var first = await WaitForServiceAsync(http, port);
            Assert.Equal("h1", first.Hostname);
            var pid = (await lab.SshCheckedAsync("h1", $"pgrep -x -f '{service}'")).Trim();
            Assert.Matches("^[0-9]+$", pid);

            // Full copy while the service runs; the copy stays read-only so it cannot diverge.
            await PipeAsync($"zfs snapshot {dataset}@one && zfs send {dataset}@one", $"zfs receive {dataset} && zfs set readonly=on {dataset}");

            var beforeFreeze = await ReadStateAsync(http, port);
            await lab.SshCheckedAsync("h1", $"mkdir -p {images} && criu dump -t {pid} -D {images} -o dump.log");
            await PipeAsync(
                $"zfs snapshot {dataset}@two && zfs send -i {dataset}@one {dataset}@two",
                $"zfs receive -F {dataset} && zfs set readonly=off {dataset} && zfs umount {dataset} && zfs mount {dataset}");
            await PipeAsync($"tar -C {images} -cf - .", $"mkdir -p {images} && tar -C {images} -xf - && criu restore -d -D {images} -o restore.log");

            var restored = await WaitForServiceAsync(http, port);
            Assert.Equal("h2", restored.Hostname);
            Assert.Equal(first.Token, restored.Token);
            Assert.True(restored.Counter >= beforeFreeze.Counter,
                $"the counter went back from {beforeFreeze.Counter} to {restored.Counter}: the service restarted");
            await Task.Delay(500);
            var later = await ReadStateAsync(http, port);
            Assert.True(later.Counter > restored.Counter, "the restored service does not count on");

            Assert.Equal(1, (await lab.SshAsync("h1", $"pgrep -x -f '{service}'")).ExitCode);
            Assert.Matches("^[0-9]+\\s*$", (await lab.SshCheckedAsync("h2", $"pgrep -x -f '{service}'")));

            // Every value written on h1 and after on h2, in order, none lost, none repeated.
            var lines = (await lab.SshCheckedAsync("h2", $"cat /{dataset}/counter.log"))
                .Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(long.Parse).ToArray();
            Assert.True(lines.Length >= later.Counter - 1, $"only {lines.Length} lines for counter {later.Counter}");
            Assert.Equal(Enumerable.Range(1, lines.Length).Select(n => (long)n), lines);
        }
        finally
        {
            foreach (var host in new[] { "h1", "h2" })
            {
                await lab.SshAsync(host,
                    $"for p in $(pgrep -x -f '{service}'); do kill -KILL $p; done; rm -rf {images}; " +
                    $"sleep 0.2; zfs destroy -r {dataset} 2>/dev/null || (sleep 1; zfs destroy -r {dataset}) || true");
            }
        }
    }

    private async Task PipeAsync(string onSource, string onTarget)
    {
        var config = lab.SshConfigPath;
        var result = await Shell.RunAsync("bash", ["-c",
            $"set -o pipefail; ssh -F '{config}' h1 \"$0\" | ssh -F '{config}' h2 \"$1\"", onSource, onTarget],
            TimeSpan.FromMinutes(5));
        result.EnsureSuccess();
    }

    private static async Task<CounterState> WaitForServiceAsync(LabHttp http, int port)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            try
            {
                return await ReadStateAsync(http, port);
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }
        }
    }

    private static Task<CounterState> ReadStateAsync(LabHttp http, int port) => http.GetFromTheHostRunningItAsync<CounterState>(port);

    private sealed record CounterState(
        [property: JsonPropertyName("counter")] long Counter,
        [property: JsonPropertyName("token")] string Token,
        [property: JsonPropertyName("hostname")] string Hostname);
}
