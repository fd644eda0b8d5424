using System.Diagnostics;

namespace MigrationTools.Bench;

/// <summary>Local processes and the arithmetic the benchmarks share.</summary>
internal static class Processes
{
    /// <summary>Runs <paramref name="program"/> and returns its standard output; a non-zero exit status throws with its standard error.</summary>
    public static async Task<string> RunAsync(string program, IEnumerable<string> arguments, string? standardInputFile = null)
    {
        var startInfo = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = standardInputFile is not null,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        using var process = Process.Start(startInfo)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (standardInputFile is not null)
        {
            await using (var input = File.OpenRead(standardInputFile))
            {
                await input.CopyToAsync(process.StandardInput.BaseStream);
            }

            process.StandardInput.Close();
        }

        await process.WaitForExitAsync();
        return process.ExitCode == 0
            ? await output
            : throw new InvalidOperationException($"{program} {string.Join(' ', startInfo.ArgumentList)} failed ({process.ExitCode}): {await error}");
    }

    /// <summary>How long <paramref name="action"/> takes, in seconds.</summary>
    public static async Task<double> TimeAsync(Func<Task> action)
    {
        var clock = Stopwatch.StartNew();
        await action();
        return clock.Elapsed.TotalSeconds;
    }

    /// <summary>The median; NaN for no samples (every attempt failed).</summary>
    public static double Median(IEnumerable<double> samples)
    {
        var sorted = samples.Order().ToArray();
        return sorted.Length == 0 ? double.NaN : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
