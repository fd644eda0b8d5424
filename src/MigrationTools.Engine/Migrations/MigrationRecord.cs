using System;
using System.Collections.Generic;
using System.Linq;
using MigrationTools.Engine.Network;
using MigrationTools.Engine.Workloads;

namespace MigrationTools.Engine.Migrations;

/// <summary>
/// Everything known about one migration, as kept in the migration journal. Immutable: change it with
/// <c>with</c>, and change its state only through <see cref="MigrationStateMachine"/>.
/// </summary>
public sealed record MigrationRecord
{
    private readonly string _source;
    private readonly string _destination;
    private readonly IReadOnlyList<PhaseRecord> _phases = Array.Empty<PhaseRecord>();
    private readonly IReadOnlyList<DatasetProgress> _datasets = Array.Empty<DatasetProgress>();

    /// <summary>Creates a record in <see cref="MigrationState.Created"/>.</summary>
    /// <param name="id">The migration's id.</param>
    /// <param name="workload">The workload being moved.</param>
    /// <param name="source">The host it leaves, as an ssh destination such as <c>root@host-a</c>.</param>
    /// <param name="destination">The host it moves to, as an ssh destination.</param>
    /// <param name="checkpointMode">How its running state crosses.</param>
    /// <param name="createdAt">When the migration was created; also the first <see cref="UpdatedAt"/>.</param>
    public MigrationRecord(
        MigrationId id, WorkloadName workload, string source, string destination, CheckpointMode checkpointMode, DateTimeOffset createdAt)
    {
        Id = id ?? throw new ArgumentNullException(nameof(id));
        Workload = workload ?? throw new ArgumentNullException(nameof(workload));
        _source = Host(source, nameof(source));
        _destination = Host(destination, nameof(destination));
        CheckpointMode = checkpointMode;
        CreatedAt = createdAt;
        UpdatedAt = createdAt;
    }

    /// <summary>The migration's id.</summary>
    public MigrationId Id { get; }

    /// <summary>The workload being moved.</summary>
    public WorkloadName Workload { get; }

    /// <summary>The host the workload leaves, as an ssh destination.</summary>
    public string Source { get => _source; init => _source = Host(value, nameof(Source)); }

    /// <summary>The host the workload moves to, as an ssh destination.</summary>
    public string Destination { get => _destination; init => _destination = Host(value, nameof(Destination)); }

    /// <summary>Where the migration stands.</summary>
    public MigrationState State { get; init; } = MigrationState.Created;

    /// <summary>The steps taken, oldest first.</summary>
    public IReadOnlyList<PhaseRecord> Phases
    {
        get => _phases;
        init => _phases = (value ?? throw new ArgumentNullException(nameof(Phases))).ToArray();
    }

    /// <summary>Each dataset's progress.</summary>
    public IReadOnlyList<DatasetProgress> Datasets
    {
        get => _datasets;
        init => _datasets = (value ?? throw new ArgumentNullException(nameof(Datasets))).ToArray();
    }

    /// <summary>The incremental sync rounds completed.</summary>
    public int SyncCount { get; init; }

    /// <summary>The bytes sent so far, all datasets and images together.</summary>
    public long BytesTransferred { get; init; }

    /// <summary>How long the workload was unavailable during the switch; <see langword="null"/> before it.</summary>
    public TimeSpan? Downtime { get; init; }

    /// <summary>Where the downtime went; <see langword="null"/> before the switch.</summary>
    public DowntimeParts? DowntimeParts { get; init; }

    /// <summary>How the workload's running state crosses.</summary>
    public CheckpointMode CheckpointMode { get; init; }

    /// <summary>The workload's service addresses as declared at begin: they move with it at the switch and back on undo.</summary>
    public IReadOnlyList<ServiceAddress> ServiceAddresses { get; init; } = Array.Empty<ServiceAddress>();

    /// <summary>How data moves and the switch cuts over; fixed at begin.</summary>
    public MigrationSettings Settings { get; init; } = new();

    /// <summary>
    /// The phase that has started and not yet ended; <see langword="null"/> between phases. Set before a phase acts,
    /// so a phase found still active was interrupted (the controller died), and re-running it continues.
    /// </summary>
    public MigrationPhase? ActivePhase { get; init; }

    /// <summary>
    /// The source's process tree as checkpointed by the switch (left frozen, or ended when the settings release it);
    /// <see langword="null"/> until a checkpoint exists. Undo resumes or restores it, complete ends it.
    /// </summary>
    public WorkloadProcess? CheckpointedProcess { get; init; }

    /// <summary>
    /// An undo that keeps the destination's changes, under way; <see langword="null"/> otherwise. While set, undo
    /// continues it and complete is refused.
    /// </summary>
    public WorkloadReturn? Return { get; init; }

    /// <summary>
    /// An undo that discards the destination's changes has begun taking the workload off the destination, so it may be
    /// stopped there now: only undo may follow, and complete is refused. Set before that undo touches the destination;
    /// an undo keeping changes clears it, since <see cref="Return"/> then says where the workload is.
    /// </summary>
    public bool LeavingDestination { get; init; }

    /// <summary>How the switch under way moves memory; <see langword="null"/> outside a live switch.</summary>
    internal MemoryMove? MemoryMove { get; init; }

    /// <summary>Which host runs the workload now.</summary>
    public WorkloadOwner Owner { get; init; } = WorkloadOwner.Source;

    /// <summary>When the migration was created.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>When the record last changed.</summary>
    public DateTimeOffset UpdatedAt { get; init; }

    /// <summary>The last failure and what to do about it; <see langword="null"/> when none.</summary>
    public string? LastError { get; init; }

    /// <summary>The journal's count of saves of this record; the journal sets it, callers pass it back to detect conflicts.</summary>
    public int Version { get; init; }

    private static string Host(string? value, string name) =>
        string.IsNullOrWhiteSpace(value)
            ? throw new ArgumentException("A migration's source and destination hosts must not be empty.", name)
            : value!;
}
