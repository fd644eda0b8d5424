using System.Globalization;
using System.Text;

namespace MigrationTools.Lab.Tests.Chaos;

/// <summary>A campaign's counts: runs, faults that struck, by kind, and invariant violations.</summary>
public sealed record ChaosSummary(string Campaign, int Runs, int Landed, int Violations, IReadOnlyList<(string Fault, int Runs, int Landed)> ByFault, TimeSpan Elapsed)
{
    internal static ChaosSummary Of(ChaosSettings settings, IReadOnlyCollection<ChaosOutcome> outcomes) => new(
        settings.ToString(),
        outcomes.Count,
        outcomes.Count(o => o.Landed),
        outcomes.Sum(o => o.Violations.Count),
        [.. ChaosFaults.All.Select(f => (f.ToString(), outcomes.Count(o => o.Run.Fault == f), outcomes.Count(o => o.Run.Fault == f && o.Landed)))],
        TimeSpan.FromTicks(outcomes.Sum(o => o.Elapsed.Ticks)));

    /// <summary>The campaign as docs/reliability.md shows it.</summary>
    public string Render()
    {
        var text = new StringBuilder();
        text.AppendLine("| campaign runs | faults that struck | invariant violations | campaign |");
        text.AppendLine("| ---: | ---: | ---: | --- |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| {Runs} | {Landed} | {Violations} | {Campaign}, {Elapsed.TotalMinutes:0.0} min |");
        text.AppendLine();
        text.AppendLine("| fault | runs | struck |");
        text.AppendLine("| --- | ---: | ---: |");
        foreach (var (fault, runs, landed) in ByFault)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"| {fault} | {runs} | {landed} |");
        }

        return text.ToString();
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"campaign ({Campaign}): {Runs} runs, {Landed} faults struck, {Violations} invariant violations, {Elapsed.TotalMinutes:0.0} min; by fault: ") +
        string.Join(", ", ByFault.Select(f => $"{f.Fault} {f.Landed}/{f.Runs}"));
}
