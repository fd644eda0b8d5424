using System.Globalization;
using MigrationTools.Engine.Transfer;

namespace MigrationTools.Cli.Output;

/// <summary>The views as people read them: tables for lists, a block of labelled lines for one migration.</summary>
internal static class HumanText
{
    /// <summary>Workloads as a table, one row each.</summary>
    /// <param name="writer">Where.</param>
    /// <param name="workloads">The workloads.</param>
    public static void WriteWorkloads(TextWriter writer, IEnumerable<WorkloadView> workloads)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(workloads);
        var table = new Table("HOST", "NAME", "STATE", "PID>", "MODE", "POLICY", "USED>", "DATASETS");
        foreach (var w in workloads)
        {
            var datasets = string.Join(",", w.Datasets) + (w.MissingDatasets.Count > 0 ? $" (missing here: {string.Join(",", w.MissingDatasets)})" : "");
            table.Add(
                w.ComputerName, w.Name, w.State, w.ProcessId?.ToString(CultureInfo.InvariantCulture), w.CheckpointMode, w.MigrationPolicy,
                ByteSize.Format(w.UsedBytes), datasets);
        }

        if (table.Count == 0)
        {
            writer.WriteLine("No workloads are declared there.");
            return;
        }

        table.Write(writer);
    }

    /// <summary>A preflight: the verdict, every check, and the datasets with their sizes.</summary>
    /// <param name="writer">Where.</param>
    /// <param name="plan">The plan.</param>
    public static void WritePlan(TextWriter writer, PlanView plan)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(plan);
        var failed = plan.Checks.Count(c => !c.Passed);
        writer.WriteLine(plan.Passed
            ? $"Preflight of {plan.Workload} from {plan.Source} to {plan.Destination}: passed ({plan.Checks.Count} checks)."
            : $"Preflight of {plan.Workload} from {plan.Source} to {plan.Destination}: REFUSED, {failed} of {plan.Checks.Count} checks failed.");
        writer.WriteLine();
        var checks = new Table("RESULT", "CHECK", "TARGET", "MESSAGE");
        foreach (var check in plan.Checks)
        {
            checks.Add(check.Passed ? "ok" : "FAILED", check.Name, check.Target, check.Message);
        }

        checks.Write(writer);
        if (plan.Datasets.Count > 0)
        {
            writer.WriteLine();
            var datasets = new Table("DATASET", "TARGET", "USED>", "FIRST COPY>");
            foreach (var d in plan.Datasets)
            {
                datasets.Add(d.Source, d.Target, Size(d.UsedBytes), Size(d.EstimatedBytes));
            }

            datasets.Write(writer);
            writer.WriteLine();
            writer.WriteLine($"The first copy sends about {ByteSize.Format(plan.EstimatedBytes)}; checkpoint mode {plan.CheckpointMode ?? "unknown"}.");
        }

        if (plan.ServiceAddresses.Count > 0)
        {
            writer.WriteLine($"Service addresses that move with it: {string.Join(", ", plan.ServiceAddresses)}.");
        }

        if (plan.MemoryTransfer is { } method)
        {
            writer.WriteLine($"Memory moves by {Words.Hyphenated(method)}: {Table.Clean(plan.MemoryTransferReason ?? "")}");
        }
    }

    /// <summary>Migrations as a table, one row each.</summary>
    /// <param name="writer">Where.</param>
    /// <param name="migrations">The migrations.</param>
    public static void WriteMigrations(TextWriter writer, IEnumerable<MigrationView> migrations)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(migrations);
        var table = new Table("ID", "WORKLOAD", "STATE", "FROM", "TO", "MOVED>", "DOWNTIME>", "UPDATED");
        foreach (var m in migrations)
        {
            table.Add(
                m.Id, m.Workload, m.State, m.Source, m.Destination, ByteSize.Format(m.BytesTransferred),
                m.DowntimeSeconds is { } downtime ? Words.Duration(TimeSpan.FromSeconds(downtime)) : null,
                LocalTime(m.UpdatedAt, "yyyy-MM-dd HH:mm:ss"));
        }

        if (table.Count == 0)
        {
            writer.WriteLine("The journal holds no migrations.");
            return;
        }

        table.Write(writer);
    }

    /// <summary>One migration: where it stands, what moved, the downtime, its phases and what to do next.</summary>
    /// <param name="writer">Where.</param>
    /// <param name="m">The migration.</param>
    public static void WriteMigration(TextWriter writer, MigrationView m)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(m);
        var runsOn = m.Owner == "destination" ? m.Destination : m.Source;
        Line(writer, "Migration", m.Id);
        Line(writer, "Workload", $"{m.Workload}, {m.Source} -> {m.Destination} ({m.CheckpointMode})");
        Line(writer, "State", $"{m.State}; the workload runs on {runsOn}{(m.ActivePhase is { } active ? $"; the {active} phase was interrupted" : "")}");
        Line(writer, "Moved", $"{ByteSize.Format(m.BytesTransferred)} in all, {m.SyncCount} sync round(s)");
        if (m.DowntimeSeconds is { } downtime)
        {
            Line(writer, "Downtime", Words.Duration(TimeSpan.FromSeconds(downtime)) + DowntimeParts(m.DowntimeParts));
        }

        var s = m.Settings;
        Line(writer, "Settings",
            $"{s.Path} path, compression {s.Compression}, " +
            (s.BandwidthLimitBytesPerSecond is { } limit ? $"limit {ByteSize.Format(limit)}/s" : "no bandwidth limit") +
            (s.ReleaseSourceBeforeRestore ? ", source released before restore" : "") +
            (s.MemoryTransfer == "auto" ? "" : $", memory by {Words.Hyphenated(s.MemoryTransfer)}") +
            (s.Hooks.Count > 0 ? $", {s.Hooks.Count} hook(s)" : ""));
        if (m.ServiceAddresses.Count > 0)
        {
            Line(writer, "Addresses", string.Join(", ", m.ServiceAddresses) + $" (held by {runsOn})");
        }

        if (m.LastError is { } error)
        {
            Line(writer, "Last error", Table.Clean(error));
        }

        if (m.Phases.Count > 0)
        {
            writer.WriteLine("Phases");
            var phases = new Table("PHASE", "STARTED", "TOOK>", "BYTES>", "OUTCOME");
            foreach (var p in m.Phases)
            {
                var took = p.End is { } end
                    ? Words.Duration(DateTimeOffset.Parse(end, CultureInfo.InvariantCulture) - DateTimeOffset.Parse(p.Start, CultureInfo.InvariantCulture))
                    : "running";
                phases.Add(p.Phase, LocalTime(p.Start, "HH:mm:ss"), took, ByteSize.Format(p.Bytes), p.Outcome);
            }

            phases.Write(writer, indent: 2);
        }

        if (NextStep(m) is { } next)
        {
            Line(writer, "Next", next);
        }
    }

    /// <summary>What can be done with a migration in its state, as commands; <see langword="null"/> once it is over.</summary>
    /// <param name="m">The migration.</param>
    /// <returns>The advice, or <see langword="null"/>.</returns>
    public static string? NextStep(MigrationView m)
    {
        ArgumentNullException.ThrowIfNull(m);
        string Run(string verb) => $"migrationtools migration {verb} {m.Id}";
        return m.State switch
        {
            "created" => $"the first copy did not finish: {Run("start")} again with the same hosts, or {Run("abort")}",
            "begun" or "synced" => $"{Run("sync")}, {Run("switch")}, or {Run("abort")}",
            "switching" => $"the switch was interrupted: {Run("switch")} to finish or roll it back, or {Run("undo")}",
            "switched" => $"{Run("complete")} to finish (destroys the source's datasets unless --keep-source-datasets), or {Run("undo")}",
            "failed" => "a person must check both hosts; the last error says what to look at",
            _ => null,
        };
    }

    private static string DowntimeParts(DowntimePartsView? parts)
    {
        if (parts is null)
        {
            return "";
        }

        var named = new (string Name, double? Seconds)[]
        {
            ("checkpoint/stop", parts.DumpSeconds), ("final delta", parts.FinalDeltaSeconds), ("images", parts.ImageTransferSeconds),
            ("restore/start", parts.RestoreSeconds), ("health", parts.HealthSeconds),
        };
        var shown = named.Where(p => p.Seconds is not null).Select(p => $"{p.Name} {Words.Duration(TimeSpan.FromSeconds(p.Seconds!.Value))}").ToArray();
        var text = shown.Length == 0 ? "" : " (" + string.Join(", ", shown) + (parts.ImageTransferSeconds is null ? "" : "; the images travel during the final delta") + ")";
        if (parts.MemoryTransfer is { } method)
        {
            text += $"; memory by {Words.Hyphenated(method)}";
        }

        if (parts.PostCopySeconds is { } postCopy)
        {
            text += $", every page arrived {Words.Duration(TimeSpan.FromSeconds(postCopy))} after the restore (the workload served meanwhile)";
        }

        return text;
    }


    /// <summary>What a drain would do: a row per workload with its destination and the reason.</summary>
    /// <param name="writer">Where.</param>
    /// <param name="source">The host drained.</param>
    /// <param name="plan">The rows.</param>
    public static void WriteDrainPlan(TextWriter writer, string source, IReadOnlyList<DrainPlanView> plan)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(plan);
        if (plan.Count == 0)
        {
            writer.WriteLine($"No workloads are declared on {source}: there is nothing to drain.");
            return;
        }

        var table = new Table("WORKLOAD", "ACTION", "TO", "ESTIMATE>", "WHY");
        foreach (var row in plan)
        {
            table.Add(row.Workload, row.Action, row.Destination ?? "-", ByteSize.Format(row.EstimatedBytes), row.Reason.Split('\n')[0].TrimEnd('\r'));
        }

        table.Write(writer);
    }

    /// <summary>A drain's last line: counts, bytes and time.</summary>
    /// <param name="writer">Where.</param>
    /// <param name="summary">The summary.</param>
    public static void WriteDrainSummary(TextWriter writer, DrainSummaryView summary)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(summary);
        var text = string.Create(CultureInfo.InvariantCulture,
            $"Drained {summary.Source}: {summary.Moved} moved, {summary.Failed} failed, {summary.Skipped} skipped");
        if (summary.NotStarted > 0)
        {
            text += string.Create(CultureInfo.InvariantCulture, $", {summary.NotStarted} not started (interrupted; run the drain again)");
        }

        writer.WriteLine(text + $"; sent {ByteSize.Format(summary.BytesSent)} in {Words.Duration(TimeSpan.FromSeconds(summary.ElapsedSeconds))}.");
    }

    private static string Size(long bytes) => bytes < 0 ? "missing" : ByteSize.Format(bytes);

    private static string LocalTime(string instant, string format) =>
        DateTimeOffset.Parse(instant, CultureInfo.InvariantCulture).ToLocalTime().ToString(format, CultureInfo.InvariantCulture);

    private static void Line(TextWriter writer, string label, string value) => writer.WriteLine($"{label,-11}{value}");
}
