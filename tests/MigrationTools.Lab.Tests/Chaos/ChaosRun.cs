using System.Globalization;

namespace MigrationTools.Lab.Tests.Chaos;

/// <summary>
/// One run of the campaign, drawn from its own seed: the phase, the fault, the moment it strikes (after the phase's
/// Nth progress report, or after a delay from the phase's start) and what the operator then aims for (to finish the
/// move, or to give it up).
/// </summary>
internal sealed record ChaosRun(int Number, int Seed, ChaosPhase Phase, ChaosFault Fault, int? AtReport, TimeSpan? AtTime, bool OperatorFinishes)
{
    /// <summary>How long an sshd stays unreachable, at most.</summary>
    public static readonly TimeSpan LongestOutage = TimeSpan.FromSeconds(6);

    /// <summary>The seed of run <paramref name="number"/> of the campaign seeded <paramref name="campaignSeed"/>: replay a run with it.</summary>
    public static int SeedOf(int campaignSeed, int number) => unchecked((campaignSeed * 1_000_003) + number);

    /// <summary>Draws run <paramref name="number"/> from its seed.</summary>
    public static ChaosRun Draw(int number, int seed)
    {
        var random = new Random(seed);
        var fault = ChaosFaults.All[random.Next(ChaosFaults.All.Length)];
        var phases = ChaosFaults.PhasesFor(fault);
        var phase = phases[random.Next(phases.Length)];

        // Progress reports come per step and, while data flows, a few times a second: the first few reach every step.
        var byReport = random.Next(2) == 0;
        int? atReport = byReport ? 1 + random.Next(8) : null;
        TimeSpan? atTime = byReport ? null : TimeSpan.FromMilliseconds(random.Next(3000));
        return new ChaosRun(number, seed, phase, fault, atReport, atTime, random.Next(2) == 0);
    }

    /// <summary>The outage of an sshd fault, drawn from the seed too, between 2 s and <see cref="LongestOutage"/>.</summary>
    public TimeSpan Outage => TimeSpan.FromMilliseconds(2000 + new Random(Seed ^ 0x5eed).Next((int)LongestOutage.TotalMilliseconds - 2000));

    public string Moment => AtReport is { } n
        ? string.Create(CultureInfo.InvariantCulture, $"at report {n}")
        : string.Create(CultureInfo.InvariantCulture, $"after {AtTime!.Value.TotalMilliseconds:0} ms");

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"run {Number} (seed {Seed}): {Fault} during {Phase}, {Moment}, then the operator {(OperatorFinishes ? "finishes" : "gives up")}");
}
