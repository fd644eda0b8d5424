using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Linq;
using MigrationTools.Engine.Criu;
using MigrationTools.Engine.Draining;
using MigrationTools.Engine.Migrations;
using MigrationTools.Engine.Replication;
using MigrationTools.Engine.Transfer;
using MigrationTools.Engine.Workloads;

namespace MigrationTools;

/// <summary>
/// One migration as the journal records it: what <c>Get-Migration</c>, <c>Move-Workload</c> and the phase cmdlets
/// write. Its properties are named like the parameters of the cmdlets it is piped into: <see cref="Id"/> and
/// <see cref="JournalPath"/> bind to the phase cmdlets (<c>Get-Migration -State Synced | Switch-Migration</c>), and
/// <see cref="Workload"/>, <see cref="Source"/>, <see cref="Destination"/> and the settings bind to
/// <c>Start-Migration</c> and <c>Move-Workload</c>, so a migration that was undone can be started again the same way.
/// </summary>
public sealed class Migration
{
    /// <summary>Creates the object for a record of the journal in <paramref name="journalPath"/>.</summary>
    /// <param name="record">The engine's record.</param>
    /// <param name="journalPath">The journal directory the record is kept in.</param>
    internal Migration(MigrationRecord record, string? journalPath)
        : this(record, journalPath, null)
    {
    }

    /// <summary>
    /// Creates the object for a record of the journal in <paramref name="journalPath"/>, with the destination chosen
    /// for it among several (<c>Move-Workload -Destination h2,h3</c>).
    /// </summary>
    /// <param name="record">The engine's record.</param>
    /// <param name="journalPath">The journal directory the record is kept in.</param>
    /// <param name="choice">How its destination was chosen, or <see langword="null"/> when only one was given.</param>
    internal Migration(MigrationRecord record, string? journalPath, DestinationChoice? choice)
    {
        if (record is null)
        {
            throw new ArgumentNullException(nameof(record));
        }

        Id = record.Id.Value;
        Workload = record.Workload.Value;
        Source = record.Source;
        Destination = record.Destination;
        State = record.State;
        ActivePhase = record.ActivePhase;
        Phase = record.ActivePhase ?? (record.Phases.Count > 0 ? record.Phases[record.Phases.Count - 1].Phase : null);
        Owner = record.Owner;
        CheckpointMode = record.CheckpointMode;
        ServiceAddresses = ReadOnly(record.ServiceAddresses.Select(a => a.ToString()));
        SyncCount = record.SyncCount;
        BytesTransferred = record.BytesTransferred;
        Downtime = record.Downtime;
        DowntimeParts = record.DowntimeParts;
        StartTime = record.CreatedAt.LocalDateTime;
        LastUpdateTime = record.UpdatedAt.LocalDateTime;
        EndTime = MigrationStateMachine.IsTerminal(record.State) ? record.UpdatedAt.LocalDateTime : null;
        History = ReadOnly(record.Phases.Select(p => new MigrationHistoryEntry(p)));
        Datasets = ReadOnly(record.Datasets.Select(d => new MigrationDataset(d)));
        LastError = record.LastError;

        var settings = record.Settings;
        Direct = settings.Path == TransferPath.Direct;
        Compression = settings.Compression;
        BandwidthLimit = settings.BandwidthLimit?.ToString();
        ReleaseSourceBeforeRestore = settings.ReleaseSourceBeforeRestore;
        StopTimeoutSeconds = settings.StopTimeoutSeconds;
        TcpEstablished = settings.Checkpoint.TcpEstablished;
        FileLocks = settings.Checkpoint.FileLocks;
        MemoryTransfer = settings.MemoryTransfer;
        Hooks = ReadOnly(settings.Hooks.Select(h => h.ToString()));
        JournalPath = journalPath;
        DestinationReason = choice?.Reason;
        DestinationCandidates = ReadOnly(choice?.Candidates.Select(DestinationText.Describe) ?? Enumerable.Empty<string>());
    }

    /// <summary>The migration's id, such as <c>m-0123456789ab</c>.</summary>
    public string Id { get; }

    /// <summary>The workload being moved.</summary>
    public string Workload { get; }

    /// <summary>The host the workload leaves.</summary>
    public string Source { get; }

    /// <summary>The host the workload moves to.</summary>
    public string Destination { get; }

    /// <summary>
    /// Why <see cref="Destination"/> was chosen when several were given (<c>Move-Workload -Destination h2,h3</c>): the
    /// most free space in the target pool among those whose preflight passed; empty when one was given.
    /// </summary>
    public string? DestinationReason { get; }

    /// <summary>
    /// Every destination that was weighed, one line each with its free space or why it was refused, such as
    /// <c>h2: 80 GiB free</c>; empty when one was given.
    /// </summary>
    public ReadOnlyCollection<string> DestinationCandidates { get; }

    /// <summary>Where the migration stands: Created, Begun, Synced, Switching, Switched, Completed, Aborted, RolledBack or Failed.</summary>
    public MigrationState State { get; }

    /// <summary>The phase running now, or else the last one that ran; empty before the first.</summary>
    public MigrationPhase? Phase { get; }

    /// <summary>
    /// The phase that started and has not ended: running now, or interrupted (its controller was stopped or died), in
    /// which case running that phase again continues it. Empty between phases.
    /// </summary>
    public MigrationPhase? ActivePhase { get; }

    /// <summary>Which host runs the workload: the Source until the switch commits, the Destination after it.</summary>
    public WorkloadOwner Owner { get; }

    /// <summary>How the workload's running state crosses: Criu (live) or Restart.</summary>
    public CheckpointMode CheckpointMode { get; }

    /// <summary>
    /// The workload's service addresses as it declared them when the migration began, each written
    /// ADDRESS/PREFIX@INTERFACE: they move with it at the switch and back on undo. Empty when it has none.
    /// </summary>
    public ReadOnlyCollection<string> ServiceAddresses { get; }

    /// <summary>The incremental sync rounds completed.</summary>
    public int SyncCount { get; }

    /// <summary>The bytes sent so far, every dataset and the checkpoint images together.</summary>
    public long BytesTransferred { get; }

    /// <summary>How long the workload was unavailable during the switch; empty before the switch.</summary>
    public TimeSpan? Downtime { get; }

    /// <summary>
    /// Where the downtime went (dump, final delta, images, restore, health), with the memory transfer the switch used and,
    /// after a post-copy restore, the time until every page arrived (not part of the downtime); empty before the switch.
    /// </summary>
    public DowntimeParts? DowntimeParts { get; }

    /// <summary>When the migration was created.</summary>
    public DateTime StartTime { get; }

    /// <summary>When its record last changed.</summary>
    public DateTime LastUpdateTime { get; }

    /// <summary>When it ended (Completed, Aborted or RolledBack); empty while it is not over.</summary>
    public DateTime? EndTime { get; }

    /// <summary>The phases that ran, oldest first: when, how long, how they ended and the bytes each sent.</summary>
    public ReadOnlyCollection<MigrationHistoryEntry> History { get; }

    /// <summary>Each dataset's copy: its newest snapshot on both hosts and the bytes sent for it.</summary>
    public ReadOnlyCollection<MigrationDataset> Datasets { get; }

    /// <summary>The last failure and what to do about it; empty when the last phase succeeded.</summary>
    public string? LastError { get; }

    /// <summary>True when data travels straight from the source to the destination, false when it is relayed by the controller.</summary>
    public bool Direct { get; }

    /// <summary>The compression of the data streams.</summary>
    public StreamCompression Compression { get; }

    /// <summary>The cap on every stream's rate, such as <c>50M</c> (bytes per second, binary units); empty for none.</summary>
    public string? BandwidthLimit { get; }

    /// <summary>True when the switch ends the frozen source tree before the restore (hosts sharing a network namespace).</summary>
    public bool ReleaseSourceBeforeRestore { get; }

    /// <summary>Seconds the workload gets to end after SIGTERM before SIGKILL, whenever the migration stops it.</summary>
    public int StopTimeoutSeconds { get; }

    /// <summary>True when the checkpoint includes established TCP connections.</summary>
    public bool TcpEstablished { get; }

    /// <summary>True when the checkpoint includes file locks.</summary>
    public bool FileLocks { get; }

    /// <summary>
    /// The memory transfer the migration asks for: Auto (the best both hosts support at the switch), PostCopy, PreCopy or
    /// StopAndCopy. The one a switch used is <see cref="DowntimeParts"/>.MemoryTransfer.
    /// </summary>
    public MemoryTransfer MemoryTransfer { get; }

    /// <summary>The cutover hooks, one line each, such as <c>BeforeFreeze hook on Controller: drain web</c>.</summary>
    public ReadOnlyCollection<string> Hooks { get; }

    /// <summary>The journal directory that keeps the migration's record.</summary>
    public string? JournalPath { get; }

    /// <summary>The migration's id.</summary>
    /// <returns>The id.</returns>
    public override string ToString() => Id;

    private static ReadOnlyCollection<T> ReadOnly<T>(IEnumerable<T> values) => new(values.ToList());
}
