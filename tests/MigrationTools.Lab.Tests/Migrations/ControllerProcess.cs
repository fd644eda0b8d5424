using System.Diagnostics;
using MigrationTools.Lab.Tests.Lab;

namespace MigrationTools.Lab.Tests.Migrations;

/// <summary>
/// Runs one phase in the lab controller program (tests/MigrationTools.Lab.Controller) and kills it, with every process
/// it started, as soon as a line of its output matches: a controller that dies at that moment.
/// </summary>
internal static class ControllerProcess
{
    private static readonly string Program = Path.Combine(
        LabEnvironment.RepositoryRoot, "tests", "MigrationTools.Lab.Controller", "bin",
        new DirectoryInfo(AppContext.BaseDirectory.TrimEnd('/')).Parent!.Name, "net10.0", "MigrationTools.Lab.Controller.dll");

    /// <summary>The outcome: the lines printed, and whether the process was killed (else it ended by itself).</summary>
    public sealed record Outcome(IReadOnlyList<string> Lines, bool Killed, int? ExitCode);

    public static async Task<Outcome> RunAndKillAsync(
        MigrationLab m, LabFixture lab, string phase, string target, Func<string, bool> killWhen, TimeSpan? timeout = null, TimeSpan? killAfter = null)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var word in new[]
        {
            Program, m.JournalDirectory, lab.SshConfigPath, "/tmp/mt-ctl-" + Guid.NewGuid().ToString("N")[..8],
            m.Service.Paths.ManifestDirectory, m.Service.Paths.RuntimeDirectory, phase, target,
        })
        {
            start.ArgumentList.Add(word);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("the controller did not start");
        var lines = new List<string>();
        var stderr = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(timeout ?? TimeSpan.FromMinutes(3));

        // A kill by time: the output then ends, and the loop below sees the process killed.
        var killedByTime = 0;
        using var timer = killAfter is { } after
            ? new Timer(_ => { if (Interlocked.Exchange(ref killedByTime, 1) == 0) { Kill(process); } }, null, after, Timeout.InfiniteTimeSpan)
            : null;
        try
        {
            while (await process.StandardOutput.ReadLineAsync(deadline.Token) is { } line)
            {
                lines.Add(line);
                if (killWhen(line))
                {
                    process.Kill(entireProcessTree: true);
                    await process.WaitForExitAsync(CancellationToken.None);
                    return new Outcome(lines, true, null);
                }
            }
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("the controller neither matched nor ended: " + string.Join(" | ", lines));
        }

        await process.WaitForExitAsync(CancellationToken.None);
        if (timer is not null)
        {
            await timer.DisposeAsync();
        }

        lines.Add("stderr: " + await stderr);
        // SIGKILL shows as 128 + 9; a controller that ended by itself just before its time exits 0 or 1.
        return Volatile.Read(ref killedByTime) == 1 && process.ExitCode == 137 ? new Outcome(lines, true, null) : new Outcome(lines, false, process.ExitCode);
    }

    private static void Kill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // It had already ended.
        }
    }

    /// <summary>A progress line of <paramref name="phase"/> whose activity starts with <paramref name="activity"/>.</summary>
    public static Func<string, bool> At(string phase, string activity) =>
        line => line.Split('\t') is ["progress", var p, _, var a] && p == phase && a.StartsWith(activity, StringComparison.Ordinal);

    /// <summary>A progress line of <paramref name="phase"/> that reports more than <paramref name="bytes"/> sent.</summary>
    public static Func<string, bool> After(string phase, long bytes) =>
        line => line.Split('\t') is ["progress", var p, var b, _] && p == phase && long.Parse(b, System.Globalization.CultureInfo.InvariantCulture) > bytes;
}
