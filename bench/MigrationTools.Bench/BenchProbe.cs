using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace MigrationTools.Bench;

/// <summary>
/// tests/lab/workloads/probe.py in the lab's client namespace: every 10 ms a request over one established connection to
/// the counter's line port and one over a fresh connection, until stopped; its JSON summary says what each saw.
/// </summary>
internal sealed class BenchProbe : IAsyncDisposable
{
    private readonly string _directory;
    private readonly Process _process;
    private readonly Task<string> _output;
    private readonly Task<string> _error;

    private BenchProbe(BenchNetwork network, BenchWorkload workload, string directory)
    {
        _directory = directory;
        var startInfo = new ProcessStartInfo(network.EnterClient)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        // Fresh requests are lines to the line port too: the same request on both channels, so their gaps compare.
        foreach (var argument in new[]
        {
            "python3", FindScript(), "--address", workload.BindAddress, "--line-port", workload.LinePort.ToString(CultureInfo.InvariantCulture),
            "--interval", "0.01", "--stop-file", StopFile, "--ready-file", ReadyFile, "--reply-timeout", "20",
        })
        {
            startInfo.ArgumentList.Add(argument);
        }

        Clock = Stopwatch.StartNew();
        _process = Process.Start(startInfo) ?? throw new InvalidOperationException("The probe did not start.");
        _output = _process.StandardOutput.ReadToEndAsync();
        _error = _process.StandardError.ReadToEndAsync();
    }

    /// <summary>Started as the probe's process was; the probe's own clock starts later, by its start-up.</summary>
    public Stopwatch Clock { get; }

    private string StopFile => Path.Combine(_directory, "stop");

    private string ReadyFile => Path.Combine(_directory, "ready");

    /// <summary>Starts the probe against the workload's service address and waits until both channels had a reply.</summary>
    public static async Task<BenchProbe> StartAsync(BenchLab lab, BenchWorkload workload)
    {
        var directory = Path.Combine(lab.ControlDirectory, "probe-" + workload.Name);
        Directory.CreateDirectory(directory);
        var probe = new BenchProbe(lab.Network, workload, directory);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (!File.Exists(probe.ReadyFile))
        {
            if (probe._process.HasExited || DateTime.UtcNow > deadline)
            {
                await probe.DisposeAsync();
                throw new InvalidOperationException($"The probe did not reach {workload.BindAddress}: {await probe._output} {await probe._error}");
            }

            await Task.Delay(20);
        }

        return probe;
    }

    /// <summary>Stops the probe and returns what it saw.</summary>
    public async Task<ProbeOutcome> StopAsync()
    {
        await File.WriteAllTextAsync(StopFile, "");
        var stopAt = Clock.Elapsed.TotalMilliseconds;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(40));
        await _process.WaitForExitAsync(timeout.Token);
        var output = await _output;
        try
        {
            // The probe stops within its 10 ms poll of the stop file: its start on this clock is that less its duration.
            var outcome = ProbeOutcome.Parse(output);
            return outcome with { StartedAtMs = stopAt - outcome.DurationMs };
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new InvalidDataException($"The probe printed no summary: {output} {await _error}", e);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            // Only the process this object started.
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    private static string FindScript()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var script = Path.Combine(directory.FullName, "tests", "lab", "workloads", "probe.py");
            if (File.Exists(script))
            {
                return script;
            }
        }

        throw new FileNotFoundException("tests/lab/workloads/probe.py was not found above " + AppContext.BaseDirectory);
    }
}
