using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace MigrationTools.Cli.Demo;

/// <summary>
/// A client of the counter service on the lab network: tests/lab/workloads/probe.py in the lab's client namespace,
/// holding one connection to the service address's line port (and opening fresh ones) every 10 ms until stopped.
/// </summary>
internal sealed class DemoClient : IDisposable
{
    private readonly Process _process;
    private readonly Task<string> _output;
    private readonly Task<string> _error;
    private readonly DirectoryInfo _directory;

    private DemoClient(string enterClient, string probeScript, string address, int linePort, int httpPort)
    {
        _directory = Directory.CreateTempSubdirectory("mt-demo-client-");
        var start = new ProcessStartInfo(enterClient) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[]
        {
            "python3", probeScript, "--address", address, "--line-port", linePort.ToString(CultureInfo.InvariantCulture),
            "--http-port", httpPort.ToString(CultureInfo.InvariantCulture), "--interval", "0.01", "--reply-timeout", "20",
            "--stop-file", StopFile, "--ready-file", ReadyFile,
        })
        {
            start.ArgumentList.Add(argument);
        }

        _process = Process.Start(start) ?? throw new InvalidOperationException($"{enterClient} did not start.");
        _output = _process.StandardOutput.ReadToEndAsync();
        _error = _process.StandardError.ReadToEndAsync();
    }

    private string StopFile => Path.Combine(_directory.FullName, "stop");

    private string ReadyFile => Path.Combine(_directory.FullName, "ready");

    /// <summary>Starts the client and waits until its connection has had a reply.</summary>
    public static async Task<DemoClient> StartAsync(LabNetwork network, string probeScript, string address, int linePort, int httpPort, CancellationToken cancellationToken)
    {
        var client = new DemoClient(network.EnterClient, probeScript, address, linePort, httpPort);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (!File.Exists(client.ReadyFile))
        {
            if (client._process.HasExited || DateTime.UtcNow > deadline)
            {
                client.Dispose();
                throw new InvalidOperationException($"The client in the lab's client namespace did not reach {address}: {(await client._error.ConfigureAwait(false)).Trim()}");
            }

            await Task.Delay(50, cancellationToken).ConfigureAwait(false);
        }

        return client;
    }

    /// <summary>Stops the client; whether its one connection lasted, its longest gap and the hosts that answered on it.</summary>
    public async Task<(bool Kept, double LongestGapMilliseconds, IReadOnlyList<string> Hosts)> StopAsync(CancellationToken cancellationToken)
    {
        await File.WriteAllTextAsync(StopFile, "", cancellationToken).ConfigureAwait(false);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(40));
        await _process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        var output = await _output.ConfigureAwait(false);
        using var summary = JsonDocument.Parse(output);
        var established = summary.RootElement.GetProperty("established");
        return (
            summary.RootElement.GetProperty("connection_kept").GetBoolean(),
            established.GetProperty("longest_gap_ms").GetDouble(),
            established.GetProperty("hostnames").EnumerateArray().Select(h => h.GetString() ?? "").ToArray());
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            // Only the process this class started, by its PID.
            _process.Kill();
            _process.WaitForExit(5000);
        }

        _process.Dispose();
        _directory.Delete(recursive: true);
    }
}
