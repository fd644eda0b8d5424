using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using MigrationTools.Engine.Journal;
using MigrationTools.Engine.Migrations;
using MigrationTools.Engine.Placement;
using MigrationTools.Engine.Remote;
using MigrationTools.Engine.Transfer;
using MigrationTools.Engine.Workloads;
using MigrationTools.Engine.Zfs;

namespace MigrationTools.Engine.Phases;

/// <summary>
/// Moves a workload between two hosts in phases, each one entry point: test, begin (first full copy while it
/// runs), sync (incremental, repeatable), switch (freeze or stop, final delta and checkpoint, restore or start on
/// the destination, health, commit or roll back), complete, undo, abort; and move, which chains them.
/// </summary>
/// <remarks>
/// Every phase saves the record before it acts (<see cref="MigrationRecord.ActivePhase"/>) and after, so a phase
/// interrupted by a crash or Ctrl+C is continued by running it again. A failure inside a phase is saved in
/// <see cref="MigrationRecord.LastError"/> and thrown as <see cref="MigrationFailedException"/>; a phase refused
/// before it acted throws <see cref="MigrationRefusedException"/> and changes nothing.
/// </remarks>
public sealed partial class MigrationEngine
{
    private readonly Func<DateTimeOffset> _clock;
    private readonly MigrationPreflight _preflight;
    private readonly HostConnections _connections;

    /// <summary>Creates an engine.</summary>
    /// <param name="journal">Where migration records are kept.</param>
    /// <param name="sshOptions">How to reach the hosts.</param>
    /// <param name="paths">Where workload manifests and runtime files live on the hosts.</param>
    /// <param name="clock">The time source for the record; the system clock when <see langword="null"/>.</param>
    /// <param name="limits">Limits per host shared by every migration using <paramref name="journal"/>'s directory; none when <see langword="null"/>.</param>
    public MigrationEngine(
        MigrationJournal journal, SshOptions? sshOptions = null, WorkloadPaths? paths = null, Func<DateTimeOffset>? clock = null, HostLimits? limits = null)
    {
        Journal = journal ?? throw new ArgumentNullException(nameof(journal));
        SshOptions = sshOptions ?? SshOptions.Default;
        Paths = paths ?? WorkloadPaths.Default;
        _clock = clock ?? (() => DateTimeOffset.Now);
        _preflight = new MigrationPreflight(Journal, Paths);
        _connections = new HostConnections(SshOptions);
        Limits = limits;
        Slots = limits is null ? null : new HostSlots(Journal.Directory, limits);
    }

    /// <summary>Where migration records are kept.</summary>
    public MigrationJournal Journal { get; }

    /// <summary>How the hosts are reached.</summary>
    public SshOptions SshOptions { get; }

    /// <summary>Where workload files live on the hosts.</summary>
    public WorkloadPaths Paths { get; }

    /// <summary>The record of a migration.</summary>
    /// <param name="id">The migration.</param>
    /// <returns>The record.</returns>
    /// <exception cref="MigrationRefusedException">The journal has no such migration.</exception>
    public MigrationRecord Get(MigrationId id) =>
        Journal.TryLoad(id ?? throw new ArgumentNullException(nameof(id)))
        ?? throw new MigrationRefusedException(
            $"There is no migration {id} in the journal {Journal.Directory}; list the migrations there, or point to the journal that holds it.");

    internal static string NextStep(MigrationRecord record) => record.State switch
    {
        _ when AbortBegan(record) => "its abort began (the migration's snapshots may be gone already): run abort again to finish it.",
        MigrationState.Created => "its first copy did not finish: begin it again to continue, or abort it.",
        MigrationState.Begun or MigrationState.Synced => "sync or switch it, or abort it.",
        MigrationState.Switching => "its switch was interrupted: run the switch again to finish or roll it back, or undo it.",
        MigrationState.Switched => "complete it, or undo it.",
        MigrationState.Failed => "it failed and needs a person: " + (record.LastError ?? "see its record."),
        _ => "it is over.",
    };

    /// <summary>
    /// Whether an abort of the migration began (still active, or failed half-way). Abort first destroys the migration's
    /// snapshots, which every later round starts from, so from then on the only way on is abort again.
    /// </summary>
    internal static bool AbortBegan(MigrationRecord record) =>
        record.State is MigrationState.Created or MigrationState.Begun or MigrationState.Synced
        && Began(record, MigrationPhase.Abort);

    /// <summary>Whether <paramref name="phase"/> of the migration began: it is still active, or a run of it is recorded (failed or not).</summary>
    internal static bool Began(MigrationRecord record, MigrationPhase phase) =>
        record.ActivePhase == phase || record.Phases.Any(p => p.Phase == phase);

    /// <summary>Refuses a sync or switch of a migration whose abort began; nothing changed.</summary>
    private static void RefuseAfterAbort(MigrationRecord record, string phase)
    {
        if (AbortBegan(record))
        {
            throw new MigrationRefusedException(
                $"Migration {record.Id} of {record.Workload} cannot {phase}: {NextStep(record)} Nothing was changed; {record.Workload} keeps running on {record.Source}.");
        }
    }

    private MigrationHosts Open(SshDestination source, SshDestination destination)
    {
        var from = _connections.Take(source);
        var to = _connections.Take(destination);
        return new MigrationHosts(from.Connection, to.Connection, Paths, new Releases(from, to));
    }

    private MigrationHosts Open(MigrationRecord record) =>
        Open(SshDestination.Parse(record.Source), SshDestination.Parse(record.Destination));

    /// <summary>Places the workload of <paramref name="record"/> the way its checkpoint mode carries it.</summary>
    private static WorkloadPlacement PlacementOf(MigrationHosts hosts, MigrationRecord record, WorkloadManifest manifest) =>
        new(hosts, manifest, CheckpointStrategies.For(record.CheckpointMode));

    private async Task<MigrationRecord> ReplicatePhaseAsync(
        MigrationRecord record, MigrationPhase phase, MigrationState to, IProgress<MigrationProgress>? progress, int? round,
        CancellationToken cancellationToken)
    {
        var start = _clock();
        record = Journal.Save(record with { ActivePhase = phase, LastError = null });
        using var hosts = Open(record);
        try
        {
            var (datasets, bytes) = await ReplicateAllAsync(hosts, record with { Settings = StreamSettings(record.Settings) }, phase, progress, round, cancellationToken).ConfigureAwait(false);
            var outcome = $"sent {ByteSize.Format(bytes)} in {datasets.Count} dataset(s)";
            var moved = MigrationStateMachine.Move(record, to, new PhaseRecord(phase, start, _clock(), outcome, bytes)) with
            {
                ActivePhase = null,
                Datasets = datasets,
                BytesTransferred = record.BytesTransferred + bytes,
                SyncCount = record.SyncCount + (phase == MigrationPhase.Sync ? 1 : 0),
            };
            return Journal.Save(moved);
        }
        catch (Exception e) when (PhaseFailures.IsFailure(e))
        {
            throw Fail(record, phase, start, e, "The workload keeps running on " + record.Source + "; run the phase again once the cause is fixed.");
        }
    }

    /// <summary>One replication round of every dataset, one after another.</summary>
    private static async Task<ReplicatedDatasets> ReplicateAllAsync(
        MigrationHosts hosts, MigrationRecord record, MigrationPhase phase, IProgress<MigrationProgress>? progress, int? round,
        CancellationToken cancellationToken)
    {
        var updated = new List<DatasetProgress>();
        long bytes = 0;
        foreach (var dataset in record.Datasets)
        {
            var kind = dataset.CommonSnapshot is null ? "full" : "incremental";
            var activity = $"Copying {dataset.Source} to {record.Destination} ({kind})";
            progress?.Report(new MigrationProgress(record.Id, phase, activity, null, round));
            var request = ReplicationRequests.For(record, dataset);
            var result = await hosts.Replicator.ReplicateAsync(
                request, progress is null ? null : new TransferReporter(progress, record.Id, phase, activity, round), cancellationToken).ConfigureAwait(false);
            updated.Add(dataset with
            {
                CommonSnapshot = result.Snapshot.Value,
                CommonSnapshotGuid = result.Guid,
                BytesTotal = dataset.BytesTotal + result.Bytes,
            });
            bytes += result.Bytes;
        }

        return new ReplicatedDatasets(updated, bytes);
    }

    /// <summary>Saves a phase's failure (state unchanged, no phase active) and builds the exception to throw.</summary>
    private MigrationFailedException Fail(MigrationRecord record, MigrationPhase phase, DateTimeOffset start, Exception cause, string advice)
    {
        var what = cause is OperationCanceledException ? "was cancelled" : "failed: " + cause.Message.TrimEnd().TrimEnd('.');
        var message = $"The {phase.ToString().ToLowerInvariant()} phase of migration {record.Id} ({record.Workload}) {what}. {advice}";
        var saved = SaveFailure(record, phase, start, message, record.State);
        return new MigrationFailedException(message, saved, rolledBack: false, cause);
    }

    private MigrationRecord SaveFailure(MigrationRecord record, MigrationPhase phase, DateTimeOffset start, string message, MigrationState state)
    {
        var current = Journal.TryLoad(record.Id) ?? record;
        return Journal.Save(current with
        {
            State = state,
            ActivePhase = null,
            LastError = message,
            Phases = current.Phases.Append(new PhaseRecord(phase, start, _clock(), "failed", 0)).ToArray(),
            UpdatedAt = _clock(),
        });
    }

    /// <summary>Releases the migration's holds and destroys its snapshots, dataset by dataset.</summary>
    private static async Task ReleaseSnapshotsAsync(MigrationHosts hosts, MigrationRecord record, CancellationToken cancellationToken)
    {
        foreach (var dataset in record.Datasets)
        {
            await hosts.Replicator.ReleaseAsync(ReplicationRequests.For(record, dataset), destroySnapshots: true, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Removes the migration mark from a dataset (replication carries it to the copy too), if the dataset exists.</summary>
    private static async Task ClearMarkAsync(ZfsHost host, DatasetName dataset, CancellationToken cancellationToken)
    {
        if (await host.ExistsAsync(dataset, cancellationToken).ConfigureAwait(false))
        {
            await host.InheritUserPropertyAsync(dataset, MigrationClaim.PropertyName, recursive: true, cancellationToken).ConfigureAwait(false);
        }
    }
}
