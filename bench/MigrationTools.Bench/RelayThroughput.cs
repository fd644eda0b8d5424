using System.Globalization;
using System.Text;
using CliWrap;
using MigrationTools.Engine.Remote;
using MigrationTools.Engine.Transfer;

namespace MigrationTools.Bench;

/// <summary>
/// One stream relayed through the controller, producer stdout → .NET → consumer stdin, by each runner. The consumer
/// is <c>wc -c</c>, whose count proves that every byte arrived. The pipe capacities each runner ended up with are kept.
/// </summary>
internal static class RelayThroughput
{
    /// <summary>The capacity the engine gives a bulk stream's pipes (SshConnection: one pump chunk).</summary>
    public const int BulkPipeCapacity = StreamPump.DefaultChunkSize;

    /// <summary>The pipe capacities (producer stdout, consumer stdin) seen by the last relay of each runner that sets them.</summary>
    public static Dictionary<string, (int Output, int Input)> PipeCapacities { get; } = [];

    /// <summary>The same relay as one kernel pipe in a shell, without the controller: the ceiling.</summary>
    public static async Task<long> KernelAsync(string[] producer, string[] consumer)
    {
        var line = Shell(producer) + " | " + Shell(consumer);
        return Count(await Processes.RunAsync("bash", ["-c", "set -o pipefail; " + line]));
    }

    /// <summary>The engine's runner: <see cref="LocalProcess"/> with 1 MiB pipes and <see cref="StreamPump"/>, as RelayTransfer does.</summary>
    public static async Task<long> EngineAsync(string[] producer, string[] consumer)
    {
        using var to = LocalProcess.Start(new LocalCommand(consumer[0], consumer[1..]) { PipeCapacity = BulkPipeCapacity });
        using var from = LocalProcess.Start(new LocalCommand(producer[0], producer[1..]) { PipeCapacity = BulkPipeCapacity });
        PipeCapacities["engine"] = (PipeSize.Of(from.StandardOutput), PipeSize.Of(to.StandardInput));
        from.CloseStandardInput();
        using var counted = new StreamReader(to.StandardOutput, Encoding.ASCII);
        var count = counted.ReadToEndAsync();
        await StreamPump.CopyAsync(from.StandardOutput, to.StandardInput);
        to.CloseStandardInput();
        Check(producer, await from.WaitForExitAsync());
        Check(consumer, await to.WaitForExitAsync());
        return Count(await count);
    }

    /// <summary>CliWrap as its documentation shows it: <c>producer | consumer | StringBuilder</c>.</summary>
    public static async Task<long> CliWrapAsync(string[] producer, string[] consumer)
    {
        var output = new StringBuilder();
        await (Cli.Wrap(producer[0]).WithArguments(producer[1..]) | Cli.Wrap(consumer[0]).WithArguments(consumer[1..]) | output).ExecuteAsync();
        return Count(output.ToString());
    }

    /// <summary>The capacities of the pipes CliWrap gives a program, seen from its pipe delegates.</summary>
    public static async Task<(int Output, int Input)> CliWrapPipeCapacitiesAsync()
    {
        var seen = (Output: -1, Input: -1);
        await Cli.Wrap("cat")
            .WithStandardInputPipe(PipeSource.Create(destination => seen.Input = PipeSize.Of(destination)))
            .WithStandardOutputPipe(PipeTarget.Create(origin => seen.Output = PipeSize.Of(origin)))
            .ExecuteAsync();
        return seen;
    }

    /// <summary>
    /// CliWrap given what the engine's runner has: the pipes widened from inside its pipe delegates and the copy
    /// done by <see cref="StreamPump"/>, so that what is left is CliWrap's own cost.
    /// </summary>
    public static async Task<long> CliWrapTunedAsync(string[] producer, string[] consumer)
    {
        var output = new StringBuilder();
        var seen = (Output: -1, Input: -1);
        var relay = PipeTarget.Create(async (origin, cancellationToken) =>
        {
            PipeSize.Widen(origin, BulkPipeCapacity);
            seen.Output = PipeSize.Of(origin);
            await (Cli.Wrap(consumer[0]).WithArguments(consumer[1..]) | output)
                .WithStandardInputPipe(PipeSource.Create(async (destination, token) =>
                {
                    PipeSize.Widen(destination, BulkPipeCapacity);
                    seen.Input = PipeSize.Of(destination);
                    await StreamPump.CopyAsync(origin, destination, cancellationToken: token);
                }))
                .ExecuteAsync(cancellationToken);
        });
        await (Cli.Wrap(producer[0]).WithArguments(producer[1..]) | relay).ExecuteAsync();
        PipeCapacities["CliWrap tuned"] = seen;
        return Count(output.ToString());
    }

    private static long Count(string wcOutput) => long.Parse(wcOutput.Trim(), CultureInfo.InvariantCulture);

    private static void Check(string[] argv, ProcessResult result)
    {
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"{string.Join(' ', argv)} exited with {result.ExitCode}: {result.StandardError}");
        }
    }

    private static string Shell(string[] argv) => string.Join(' ', argv.Select(word => "'" + word.Replace("'", "'\\''", StringComparison.Ordinal) + "'"));
}
