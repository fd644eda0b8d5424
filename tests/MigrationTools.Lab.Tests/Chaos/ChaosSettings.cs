using System.Globalization;

namespace MigrationTools.Lab.Tests.Chaos;

/// <summary>
/// How many runs the campaign makes and from which seed, from the environment (tests/chaos/run.sh sets them): CI's
/// short campaign by default, a long one or the replay of one run when asked.
/// </summary>
internal sealed record ChaosSettings(int Count, int Seed, int? Replay, string? LogFile)
{
    public const int DefaultRuns = 12;

    public const int DefaultSeed = 20261203;

    public static ChaosSettings FromEnvironment() => new(
        Number("MT_CHAOS_RUNS") ?? DefaultRuns,
        Number("MT_CHAOS_SEED") ?? DefaultSeed,
        Number("MT_CHAOS_REPLAY"),
        Environment.GetEnvironmentVariable("MT_CHAOS_LOG") is { Length: > 0 } log ? log : null);

    /// <summary>The runs: one per number from the campaign's seed, or the one run whose seed is replayed.</summary>
    public IEnumerable<ChaosRun> Runs() => Replay is { } seed
        ? [ChaosRun.Draw(1, seed)]
        : Enumerable.Range(1, Count).Select(n => ChaosRun.Draw(n, ChaosRun.SeedOf(Seed, n)));

    public override string ToString() => Replay is { } seed
        ? string.Create(CultureInfo.InvariantCulture, $"replaying the run seeded {seed}")
        : string.Create(CultureInfo.InvariantCulture, $"{Count} runs from seed {Seed}");

    private static int? Number(string variable)
    {
        var text = Environment.GetEnvironmentVariable(variable);
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        return int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) && (variable != "MT_CHAOS_RUNS" || value > 0)
            ? value
            : throw new InvalidOperationException($"{variable}={text} is not valid: give a whole number{(variable == "MT_CHAOS_RUNS" ? " above 0" : "")}.");
    }
}
