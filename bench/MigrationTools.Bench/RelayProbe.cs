using System.Diagnostics;
using MigrationTools.Engine.Remote;
using MigrationTools.Engine.Transfer;

namespace MigrationTools.Bench;

/// <summary>
/// The cost of relaying a small stream through the controller, alone: the engine's relay (<see cref="RelayTransfer"/>,
/// two ssh commands and the pump between them) against the raw steps' <c>ssh h1 … | ssh h2 …</c>, on the same bytes
/// (an image-sized file in the source's /run, read by <c>cat</c> and thrown away on the target), alternately.
/// </summary>
internal static class RelayProbe
{
    public static async Task<(double Engine, double Raw)> RunAsync(BenchLab lab, int mib, int repeats)
    {
        var (source, target) = (lab.Options.Source, lab.Options.Target);
        var file = "/run/mt-dt-relay-" + Guid.NewGuid().ToString("N")[..10];
        using var from = lab.Connect(source);
        using var to = lab.Connect(target);
        await Task.WhenAll(from.OpenAsync(), to.OpenAsync());
        await lab.SshAsync(source, $"head -c {mib}M /dev/urandom > {file}");
        try
        {
            var (engine, raw) = (new List<double>(), new List<double>());
            for (var i = 0; i < repeats; i++)
            {
                var clock = Stopwatch.StartNew();
                await RelayTransfer.RunAsync(
                    from, RemoteCommand.Create("cat", file), to, RemoteCommand.Create("sh", "-c", "cat > /dev/null"), new ProgressMeter(null));
                engine.Add(clock.Elapsed.TotalSeconds);
                raw.Add(await Processes.TimeAsync(() => BenchLab.ShellAsync($"{lab.SshLine(source)} 'cat {file}' | {lab.SshLine(target)} 'cat > /dev/null'")));
            }

            return (Processes.Median(engine), Processes.Median(raw));
        }
        finally
        {
            await lab.SshAsync(source, $"rm -f {file}");
        }
    }
}
