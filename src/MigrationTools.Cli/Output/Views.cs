using System.Globalization;
using MigrationTools.Engine.Migrations;
using MigrationTools.Engine.Workloads;

namespace MigrationTools.Cli.Output;

// The objects --json writes. Their properties are the engine's (and so the cmdlets') property names in camelCase;
// enum values are camelCase words as in the journal; durations are seconds as numbers, with "Seconds" in the name;
// sizes are bytes. docs/cli.md shows each shape.

/// <summary>A workload as one host declares and runs it (<c>workload list</c>, <c>register</c>, <c>start</c>).</summary>
internal sealed record WorkloadView(
    string ComputerName,
    string Name,
    string State,
    int? ProcessId,
    IReadOnlyList<string> Datasets,
    long UsedBytes,
    IReadOnlyList<string> MissingDatasets,
    string CheckpointMode,
    string MigrationPolicy,
    IReadOnlyList<string> ServiceAddresses,
    IReadOnlyList<string> Command,
    string WorkingDirectory,
    IReadOnlyDictionary<string, string> Environment,
    HealthCheckView? HealthCheck,
    string ManifestPath)
{
    /// <summary>The view of an engine summary.</summary>
    /// <param name="summary">The summary.</param>
    /// <param name="paths">Where that host keeps manifests.</param>
    /// <returns>The view.</returns>
    public static WorkloadView Of(WorkloadSummary summary, WorkloadPaths paths)
    {
        ArgumentNullException.ThrowIfNull(summary);
        ArgumentNullException.ThrowIfNull(paths);
        var manifest = summary.Manifest;
        return new WorkloadView(
            summary.Host,
            summary.Name.Value,
            Words.Of(summary.State),
            summary.Pid,
            [.. manifest.Datasets.Select(d => d.Value)],
            summary.UsedBytes,
            [.. summary.Datasets.Where(d => !d.Exists).Select(d => d.Dataset.Value)],
            WorkloadManifestJson.Text(manifest.CheckpointMode),
            WorkloadManifestJson.Text(manifest.MigrationPolicy),
            [.. manifest.ServiceAddresses.Select(a => a.ToString())],
            [.. manifest.Command],
            manifest.WorkingDirectory,
            new SortedDictionary<string, string>(manifest.Environment.ToDictionary(v => v.Key, v => v.Value), StringComparer.Ordinal),
            HealthCheckView.Of(manifest.HealthCheck),
            paths.ManifestFile(summary.Name));
    }
}

/// <summary>A workload's health check: one of command, tcpPort and httpUrl is set, as <c>kind</c> says.</summary>
internal sealed record HealthCheckView(string Kind, IReadOnlyList<string>? Command, int? TcpPort, string? HttpUrl, int TimeoutSeconds)
{
    /// <summary>The view of a check.</summary>
    /// <param name="check">The check, or <see langword="null"/>.</param>
    /// <returns>The view, or <see langword="null"/>.</returns>
    public static HealthCheckView? Of(HealthCheck? check) => check is null
        ? null
        : new HealthCheckView(Words.Of(check.Kind), check.Command is null ? null : [.. check.Command], check.TcpPort, check.HttpUrl?.OriginalString, check.TimeoutSeconds);
}

/// <summary>What <c>workload stop</c> did.</summary>
/// <param name="ComputerName">The host.</param>
/// <param name="Name">The workload.</param>
/// <param name="Result">notRunning, terminated or killed.</param>
internal sealed record WorkloadStopView(string ComputerName, string Name, string Result);

/// <summary>What <c>workload unregister</c> did.</summary>
/// <param name="ComputerName">The host.</param>
/// <param name="Name">The workload.</param>
/// <param name="ManifestPath">The manifest file removed.</param>
internal sealed record WorkloadUnregisterView(string ComputerName, string Name, string ManifestPath);

/// <summary>A migration as its record stands (every migration command but <c>test</c>).</summary>
internal sealed record MigrationView(
    string Id,
    string Workload,
    string Source,
    string Destination,
    string State,
    string Owner,
    string CheckpointMode,
    IReadOnlyList<string> ServiceAddresses,
    int SyncCount,
    long BytesTransferred,
    double? DowntimeSeconds,
    DowntimePartsView? DowntimeParts,
    string? ActivePhase,
    string? LastError,
    SettingsView Settings,
    IReadOnlyList<PhaseView> Phases,
    IReadOnlyList<DatasetProgressView> Datasets,
    ProcessView? CheckpointedProcess,
    string CreatedAt,
    string UpdatedAt,
    int Version)
{
    /// <summary>The view of a record.</summary>
    /// <param name="record">The record.</param>
    /// <returns>The view.</returns>
    public static MigrationView Of(MigrationRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var settings = record.Settings;
        return new MigrationView(
            record.Id.Value,
            record.Workload.Value,
            record.Source,
            record.Destination,
            Words.Of(record.State),
            Words.Of(record.Owner),
            WorkloadManifestJson.Text(record.CheckpointMode),
            [.. record.ServiceAddresses.Select(a => a.ToString())],
            record.SyncCount,
            record.BytesTransferred,
            Words.Seconds(record.Downtime),
            record.DowntimeParts is { } parts
                ? new DowntimePartsView(
                    Words.Seconds(parts.Dump), Words.Seconds(parts.FinalDelta), Words.Seconds(parts.ImageTransfer),
                    Words.Seconds(parts.Restore), Words.Seconds(parts.Health),
                    parts.MemoryTransfer is { } method ? Words.Of(method) : null, Words.Seconds(parts.PostCopy))
                : null,
            record.ActivePhase is { } active ? Words.Of(active) : null,
            record.LastError,
            new SettingsView(
                Words.Of(settings.Path),
                Words.Of(settings.Compression),
                settings.BandwidthLimit?.BytesPerSecond,
                settings.ReleaseSourceBeforeRestore,
                settings.Checkpoint.TcpEstablished,
                Words.Of(settings.MemoryTransfer),
                settings.StopTimeoutSeconds,
                [.. settings.Hooks.Select(h => new HookView(Words.Of(h.Stage), Words.Of(h.Location), [.. h.Command], h.TimeoutSeconds))]),
            [.. record.Phases.Select(p => new PhaseView(Words.Of(p.Phase), Words.Instant(p.Start), p.End is { } end ? Words.Instant(end) : null, p.Outcome, p.Bytes))],
            [.. record.Datasets.Select(d => new DatasetProgressView(
                d.Source.Value, d.Target.Value, d.CommonSnapshot, d.CommonSnapshotGuid?.ToString(CultureInfo.InvariantCulture), d.BytesTotal))],
            record.CheckpointedProcess is { } process ? new ProcessView(process.Pid, process.StartTime) : null,
            Words.Instant(record.CreatedAt),
            Words.Instant(record.UpdatedAt),
            record.Version);
    }
}

/// <summary>
/// Where the switch's downtime went, in seconds; a part is null when it did not happen. With the memory transfer the
/// switch used (null for a restart) and, after a post-copy restore, the seconds until every page arrived, which the
/// workload already served through and so are not downtime.
/// </summary>
internal sealed record DowntimePartsView(
    double? DumpSeconds, double? FinalDeltaSeconds, double? ImageTransferSeconds, double? RestoreSeconds, double? HealthSeconds,
    string? MemoryTransfer, double? PostCopySeconds);

/// <summary>How the migration moves data and cuts over, as fixed at its start.</summary>
internal sealed record SettingsView(
    string Path, string Compression, long? BandwidthLimitBytesPerSecond, bool ReleaseSourceBeforeRestore, bool TcpEstablished, string MemoryTransfer,
    int StopTimeoutSeconds,
    IReadOnlyList<HookView> Hooks);

/// <summary>A cutover hook.</summary>
internal sealed record HookView(string Stage, string Location, IReadOnlyList<string> Command, int TimeoutSeconds);

/// <summary>One step the migration took.</summary>
internal sealed record PhaseView(string Phase, string Start, string? End, string? Outcome, long Bytes);

/// <summary>One dataset's copy. The snapshot GUID is a string: it is a 64-bit number, beyond what JSON numbers keep exactly.</summary>
internal sealed record DatasetProgressView(string Source, string Target, string? CommonSnapshot, string? CommonSnapshotGuid, long BytesTotal);

/// <summary>A process as its host sees it.</summary>
internal sealed record ProcessView(int Pid, long StartTime);

/// <summary>
/// What a migration would do and whether it can (<c>migration test</c>, and a refused start or move); the memory
/// transfer is the method a live switch would use between the hosts (null for a restart or when CRIU could not be
/// asked), with the reason for it.
/// </summary>
internal sealed record PlanView(
    string Workload,
    string Source,
    string Destination,
    string? CheckpointMode,
    bool Passed,
    long EstimatedBytes,
    IReadOnlyList<CheckView> Checks,
    IReadOnlyList<DatasetEstimateView> Datasets,
    IReadOnlyList<string> ServiceAddresses,
    string? MemoryTransfer,
    string? MemoryTransferReason)
{
    /// <summary>The view of a plan.</summary>
    /// <param name="plan">The plan.</param>
    /// <returns>The view.</returns>
    public static PlanView Of(MigrationPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return new PlanView(
            plan.Workload.Value,
            plan.Source,
            plan.Destination,
            plan.CheckpointMode is { } mode ? WorkloadManifestJson.Text(mode) : null,
            plan.Passed,
            plan.EstimatedBytes,
            [.. plan.Checks.Select(c => new CheckView(c.Name, c.Passed, c.Message, c.Target))],
            [.. plan.Datasets.Select(d => new DatasetEstimateView(d.Source.Value, d.Target.Value, d.UsedBytes, d.EstimatedBytes))],
            [.. plan.ServiceAddresses.Select(a => a.ToString())],
            plan.MemoryTransfer is { } method ? Words.Of(method) : null,
            plan.MemoryTransferReason.Length > 0 ? plan.MemoryTransferReason : null);
    }
}

/// <summary>One preflight check.</summary>
internal sealed record CheckView(string Name, bool Passed, string Message, string? Target);

/// <summary>One dataset a migration would move; -1 bytes when it does not exist.</summary>
internal sealed record DatasetEstimateView(string Source, string Target, long UsedBytes, long EstimatedBytes);

/// <summary>What <c>--json</c> writes on standard output when a command fails.</summary>
/// <param name="Error">What failed.</param>
/// <param name="Migration">The migration as the journal holds it after a failed phase, or null.</param>
/// <param name="Plan">The preflight that refused the migration, or null.</param>
internal sealed record FailureView(ErrorView Error, MigrationView? Migration, PlanView? Plan)
{
    /// <summary>The view of a failure.</summary>
    /// <param name="failure">The failure.</param>
    /// <returns>The view.</returns>
    public static FailureView Of(CommandFailure failure)
    {
        ArgumentNullException.ThrowIfNull(failure);
        return new FailureView(
            new ErrorView(failure.ExitCode, failure.Kind, failure.Message),
            failure.Record is null ? null : MigrationView.Of(failure.Record),
            failure.Plan is null ? null : PlanView.Of(failure.Plan));
    }
}

/// <summary>The error in a <see cref="FailureView"/>.</summary>
/// <param name="ExitCode">The process's exit code.</param>
/// <param name="Kind">usage, refused, rolledBack, needsAttention, cancelled or error.</param>
/// <param name="Message">What happened and what to do.</param>
internal sealed record ErrorView(int ExitCode, string Kind, string Message);

/// <summary>A text the <c>host</c> commands print (a sudoers file, the helper, its verbs), as one JSON document.</summary>
/// <param name="Kind">What the text is: sudoers, helper or verbs.</param>
/// <param name="Text">The text, as written without <c>--json</c>.</param>
internal sealed record HostTextView(string Kind, string Text);
