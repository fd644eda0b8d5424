using System.Diagnostics;
using System.Net;
using System.Text.Json;

namespace MigrationTools.Lab.Tests.Lab;

/// <summary>
/// tests/lab/workloads/probe.py running in the lab's client namespace against a service address: one established
/// connection to the counter's line port and a fresh connection per request, every 10 ms, until stopped.
/// </summary>
public sealed class LabProbe : IDisposable
{
    private static readonly string Script = Path.Combine(LabEnvironment.RepositoryRoot, "tests", "lab", "workloads", "probe.py");

    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("mt-probe-");
    private readonly Process _process;
    private readonly Task<string> _output;
    private readonly Task<string> _error;

    private LabProbe(LabNetwork network, IPAddress address, int linePort, int httpPort)
    {
        var startInfo = new ProcessStartInfo(network.EnterClient)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in new[]
        {
            "python3", Script, "--address", address.ToString(), "--line-port", linePort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--http-port", httpPort.ToString(System.Globalization.CultureInfo.InvariantCulture), "--interval", "0.01",
            "--stop-file", StopFile, "--ready-file", ReadyFile, "--reply-timeout", "20",
        })
        {
            startInfo.ArgumentList.Add(argument);
        }

        _process = Process.Start(startInfo) ?? throw new InvalidOperationException("The probe did not start.");
        _output = _process.StandardOutput.ReadToEndAsync();
        _error = _process.StandardError.ReadToEndAsync();
    }

    private string StopFile => Path.Combine(_directory.FullName, "stop");

    private string ReadyFile => Path.Combine(_directory.FullName, "ready");

    /// <summary>Starts the probe and waits until both its connections had a reply.</summary>
    public static async Task<LabProbe> StartAsync(LabNetwork network, IPAddress address, int linePort, int httpPort)
    {
        var probe = new LabProbe(network, address, linePort, httpPort);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (!File.Exists(probe.ReadyFile))
        {
            if (probe._process.HasExited || DateTime.UtcNow > deadline)
            {
                probe.Dispose();
                throw new InvalidOperationException($"The probe did not reach {address}: {await probe._output} {await probe._error}");
            }

            await Task.Delay(50);
        }

        return probe;
    }

    /// <summary>Stops the probe and returns its summary.</summary>
    public async Task<ProbeSummary> StopAsync()
    {
        await File.WriteAllTextAsync(StopFile, "");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(40));
        await _process.WaitForExitAsync(timeout.Token);
        var output = await _output;
        return JsonSerializer.Deserialize<ProbeSummary>(output)
            ?? throw new InvalidDataException($"The probe printed no summary: {output} {await _error}");
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            // Only the process this object started.
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5000);
        }

        _process.Dispose();
        _directory.Delete(recursive: true);
    }
}
