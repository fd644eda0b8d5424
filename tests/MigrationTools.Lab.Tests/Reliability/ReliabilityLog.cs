using System.Globalization;
using System.Text;

namespace MigrationTools.Lab.Tests.Reliability;

/// <summary>
/// The faults and bad inputs the lab tests tried, with what was expected and what was observed. A test records its
/// case once its checks ran; with MT_RELIABILITY_REPORT set, the lab fixture writes them as docs/reliability.md does.
/// </summary>
public static class ReliabilityLog
{
    /// <summary>Where to write the report at the end of the run; unset writes nothing.</summary>
    public const string ReportVariable = "MT_RELIABILITY_REPORT";

    private static readonly List<Entry> Entries = [];

    private static Chaos.ChaosSummary? _campaign;

    public enum Kind
    {
        Fault,
        BadInput,
    }

    public sealed record Entry(Kind Kind, string Case, string Expected, string Observed, bool DataLost);

    /// <summary>Records one case; <paramref name="dataLost"/> is what the test measured (checksums, logged lines).</summary>
    public static void Record(Kind kind, string @case, string expected, string observed, bool dataLost = false)
    {
        lock (Entries)
        {
            Entries.Add(new Entry(kind, @case, expected, observed, dataLost));
        }
    }

    /// <summary>Records the fault campaign's counts (tests/MigrationTools.Lab.Tests/Chaos).</summary>
    public static void RecordCampaign(Chaos.ChaosSummary summary)
    {
        lock (Entries)
        {
            _campaign = summary;
        }
    }

    /// <summary>Writes the report if <see cref="ReportVariable"/> names a file.</summary>
    public static void WriteReportIfAsked()
    {
        var path = Environment.GetEnvironmentVariable(ReportVariable);
        if (string.IsNullOrEmpty(path))
        {
            return;
        }

        Entry[] entries;
        Chaos.ChaosSummary? campaign;
        lock (Entries)
        {
            entries = [.. Entries];
            campaign = _campaign;
        }

        File.WriteAllText(path, Render(entries, campaign));
    }

    public static string Render(IReadOnlyCollection<Entry> entries, Chaos.ChaosSummary? campaign = null)
    {
        var text = new StringBuilder();
        text.AppendLine("# Reliability");
        text.AppendLine();
        text.AppendLine("Every fault and bad input the lab tests (`tests/MigrationTools.Lab.Tests`) put the engine through, what was");
        text.AppendLine("expected and what was observed. Generated from a test run (`tests/reliability/report.sh`); a case appears");
        text.AppendLine("only when its test ran its checks, and a data loss is counted when a checksum or the workload's own log");
        text.AppendLine("of counted values showed one.");
        text.AppendLine();
        var faults = entries.Count(e => e.Kind == Kind.Fault);
        var inputs = entries.Count(e => e.Kind == Kind.BadInput);
        var losses = entries.Count(e => e.DataLost);
        text.AppendLine(CultureInfo.InvariantCulture, $"| faults tried | bad inputs tried | data losses |");
        text.AppendLine("| ---: | ---: | ---: |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| {faults} | {inputs} | {losses} |");
        if (campaign is not null)
        {
            text.AppendLine();
            text.AppendLine("## Fault campaign");
            text.AppendLine();
            text.AppendLine("Seeded runs (`tests/chaos/run.sh`), each with one fault at a random moment of a random phase: the controller");
            text.AppendLine("killed, its ssh connections cut, the source's or the destination's sshd gone for 2-6 s, the restore failing,");
            text.AppendLine("the target pool full. After each, the fault is taken away and an operator's steps follow (the phase again,");
            text.AppendLine("then on to complete, or undo/abort); then the invariants are checked: never on two hosts, at the end on the");
            text.AppendLine("host the record names with every counted value and byte, and no snapshot, hold, claim, mark, image or");
            text.AppendLine("copy left. A fault \"struck\" when its moment came while the phase still ran.");
            text.AppendLine();
            text.Append(campaign.Render());
            if (entries.Count > 0)
            {
                text.AppendLine();
                text.AppendLine("The long campaign (`tests/chaos/run.sh --runs 200 --report docs/reliability-campaign.md`) is in");
                text.AppendLine("[reliability-campaign.md](reliability-campaign.md), with the runs that broke an invariant, if any.");
            }
        }
        foreach (var (kind, title) in new[] { (Kind.Fault, "Faults"), (Kind.BadInput, "Hostile and bad input") })
        {
            text.AppendLine();
            text.AppendLine("## " + title);
            text.AppendLine();
            text.AppendLine("| case | expected | observed | data lost |");
            text.AppendLine("| --- | --- | --- | --- |");
            foreach (var entry in entries.Where(e => e.Kind == kind).OrderBy(e => e.Case, StringComparer.Ordinal))
            {
                text.AppendLine(CultureInfo.InvariantCulture,
                    $"| {Cell(entry.Case)} | {Cell(entry.Expected)} | {Cell(entry.Observed)} | {(entry.DataLost ? "**yes**" : "no")} |");
            }
        }

        return text.ToString();
    }

    private static string Cell(string text)
    {
        var line = text.ReplaceLineEndings(" ").Replace("|", "\\|", StringComparison.Ordinal);
        return line.Length <= 300 ? line : line[..297] + "...";
    }
}
