using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Linq;
using MigrationTools.Engine.Migrations;
using MigrationTools.Engine.Preflight;
using MigrationTools.Engine.Transfer;
using EnginePlan = MigrationTools.Engine.Migrations.MigrationPlan;

namespace MigrationTools;

/// <summary>
/// What a migration would do and whether it can: what <c>Test-Migration</c> writes. Every preflight check with its
/// verdict, the datasets with the bytes the first copy would send, and the settings it was tested with; nothing was
/// changed to find it out.
/// </summary>
/// <remarks>
/// <c>ConvertTo-Json</c> of it is the migration's manifest: every value is a string, a number, a boolean or a list of
/// them (enumerations are written as their names), so the document reads the same wherever it is stored. Its
/// <see cref="Workload"/>, <see cref="Source"/>, <see cref="Destination"/> and settings are named like the parameters
/// of <c>Start-Migration</c> and <c>Move-Workload</c>, so the plan, or the manifest read back with
/// <c>ConvertFrom-Json</c>, can be piped into them to run that migration.
/// </remarks>
public sealed class MigrationPlan
{
    /// <summary>Creates the object for the engine's plan and the settings it was tested with.</summary>
    /// <param name="plan">The engine's plan.</param>
    /// <param name="settings">The migration's settings.</param>
    internal MigrationPlan(EnginePlan plan, MigrationSettings settings)
        : this(plan, RequestFor(plan, settings))
    {
    }

    /// <summary>Creates the object for the engine's plan and the request it tested.</summary>
    /// <param name="plan">The engine's plan.</param>
    /// <param name="request">The request, with its settings and whether it was forced.</param>
    internal MigrationPlan(EnginePlan plan, MigrationRequest request)
    {
        if (plan is null)
        {
            throw new ArgumentNullException(nameof(plan));
        }

        if (request is null)
        {
            throw new ArgumentNullException(nameof(request));
        }

        var settings = request.Settings;
        Request = request with { Plan = plan };

        Workload = plan.Workload.Value;
        Source = plan.Source;
        Destination = plan.Destination;
        Passed = plan.Passed;
        CheckpointMode = plan.CheckpointMode?.ToString();
        EstimatedBytes = plan.EstimatedBytes;
        Datasets = ReadOnly(plan.Datasets.Select(d => new MigrationDatasetEstimate(d)));
        Checks = ReadOnly(plan.Checks);
        ServiceAddresses = ReadOnly(plan.ServiceAddresses.Select(a => a.ToString()));
        Direct = settings.Path == TransferPath.Direct;
        Compression = settings.Compression.ToString();
        BandwidthLimit = settings.BandwidthLimit?.ToString();
        ReleaseSourceBeforeRestore = settings.ReleaseSourceBeforeRestore;
        StopTimeoutSeconds = settings.StopTimeoutSeconds;
        TcpEstablished = settings.Checkpoint.TcpEstablished;
        FileLocks = settings.Checkpoint.FileLocks;
        Hooks = ReadOnly(settings.Hooks.Select(h => h.ToString()));
        MemoryTransfer = settings.MemoryTransfer.ToString();
        MemoryTransferMethod = plan.MemoryTransfer?.ToString();
        MemoryTransferReason = plan.MemoryTransferReason;
    }

    /// <summary>The workload.</summary>
    public string Workload { get; }

    /// <summary>The host it runs on.</summary>
    public string Source { get; }

    /// <summary>The host it would move to.</summary>
    public string Destination { get; }

    /// <summary>True when every check passed, so Start-Migration or Move-Workload would begin.</summary>
    public bool Passed { get; }

    /// <summary>How its running state would cross, Criu or Restart; empty when its manifest could not be read.</summary>
    public string? CheckpointMode { get; }

    /// <summary>The bytes the first, full copy is expected to send, all datasets together.</summary>
    public long EstimatedBytes { get; }

    /// <summary>The datasets that would move, with their sizes.</summary>
    public ReadOnlyCollection<MigrationDatasetEstimate> Datasets { get; }

    /// <summary>Every check, in the order it ran: its name, whether it passed, what it found and what it concerns.</summary>
    public ReadOnlyCollection<PreflightCheck> Checks { get; }

    /// <summary>
    /// The addresses that would move with the workload, each written ADDRESS/PREFIX@INTERFACE: released on the source
    /// after the freeze and added on the destination before the restore. Empty when it has none.
    /// </summary>
    public ReadOnlyCollection<string> ServiceAddresses { get; }

    /// <summary>True when data would travel straight from the source to the destination.</summary>
    public bool Direct { get; }

    /// <summary>The compression of the data streams: None, Auto, Zstd or Lz4.</summary>
    public string Compression { get; }

    /// <summary>The cap on every stream's rate, such as <c>50M</c>; empty for none.</summary>
    public string? BandwidthLimit { get; }

    /// <summary>True when the switch would end the frozen source tree before the restore.</summary>
    public bool ReleaseSourceBeforeRestore { get; }

    /// <summary>Seconds the workload would get to end after SIGTERM before SIGKILL, whenever the migration stops it.</summary>
    public int StopTimeoutSeconds { get; }

    /// <summary>True when the checkpoint would include established TCP connections.</summary>
    public bool TcpEstablished { get; }

    /// <summary>True when the checkpoint would include file locks.</summary>
    public bool FileLocks { get; }

    /// <summary>The cutover hooks, one line each.</summary>
    public ReadOnlyCollection<string> Hooks { get; }

    /// <summary>
    /// The memory transfer asked for: Auto, PostCopy, PreCopy or StopAndCopy. It is the setting, so that the plan piped
    /// into Start-Migration or Move-Workload asks for the same; <see cref="MemoryTransferMethod"/> is what it came to.
    /// </summary>
    public string MemoryTransfer { get; }

    /// <summary>
    /// How a live switch would move the memory between these hosts: PostCopy, PreCopy or StopAndCopy; empty for a
    /// restart migration or when CRIU could not be asked.
    /// </summary>
    public string? MemoryTransferMethod { get; }

    /// <summary>Why that method, or why the one asked for cannot be used; empty when there is none.</summary>
    public string MemoryTransferReason { get; }

    /// <summary>
    /// The request the plan tested, carrying the plan: what Start-Migration and Move-Workload run when given the plan,
    /// so the settings (the hooks and -Force too) are the tested ones and the engine holds the migration to the plan.
    /// </summary>
    internal MigrationRequest Request { get; }

    /// <summary>The workload, its route and the verdict.</summary>
    /// <returns>Such as <c>web from h1 to h2: passed</c>.</returns>
    public override string ToString() => $"{Workload} from {Source} to {Destination}: {(Passed ? "passed" : "failed")}";

    private static MigrationRequest RequestFor(EnginePlan plan, MigrationSettings settings) =>
        new(plan?.Workload ?? throw new ArgumentNullException(nameof(plan)), plan.Source, plan.Destination)
        {
            Settings = settings ?? throw new ArgumentNullException(nameof(settings)),
        };

    private static ReadOnlyCollection<T> ReadOnly<T>(IEnumerable<T> values) => new(values.ToList());
}
