using System;
using System.Threading;
using System.Threading.Tasks;
using MigrationTools.Engine.Criu;
using MigrationTools.Engine.Journal;
using MigrationTools.Engine.Migrations;
using MigrationTools.Engine.Preflight;
using MigrationTools.Engine.Transfer;
using MigrationTools.Engine.Workloads;

namespace MigrationTools.Engine.Placement;

/// <summary>
/// How one checkpoint mode carries a workload's running state across the switch: what it checks first, how it halts
/// the source, what it ships besides the datasets, and how it brings the workload up again on either host.
/// </summary>
/// <remarks>A new mode is a new implementation chosen in <see cref="CheckpointStrategies.For"/>; nothing else branches on the mode.</remarks>
internal interface ICheckpointStrategy
{
    /// <summary>The mode this strategy carries out.</summary>
    CheckpointMode Mode { get; }

    /// <summary>The verdict on a workload found stopped on its source before the migration begins.</summary>
    PreflightCheck CheckStoppedSource(WorkloadName workload, string host);

    /// <summary>The checks this mode needs of both hosts, beyond the datasets', and how it would move memory with <paramref name="settings"/>.</summary>
    Task<CheckpointPreflight> PreflightAsync(MigrationHosts hosts, MigrationSettings settings, CancellationToken cancellationToken);

    /// <summary>
    /// How a switch with <paramref name="settings"/> moves memory, asking the hosts only what the choice needs;
    /// <see langword="null"/> when the mode moves none.
    /// </summary>
    Task<MemoryTransferChoice?> ChooseMemoryTransferAsync(MigrationHosts hosts, MigrationSettings settings, CancellationToken cancellationToken);

    /// <summary>
    /// Halts the workload on the source so that its state stops changing, unless an interrupted switch already did.
    /// </summary>
    /// <returns>The checkpoint taken now, to be recorded; <see langword="null"/> when none was.</returns>
    Task<SourceCheckpoint?> HaltSourceAsync(
        MigrationHosts hosts, MigrationRecord record, WorkloadStatus source, Action<string> report, CancellationToken cancellationToken);

    /// <summary>Ends what is left of the halted source while the state travels, when the settings ask for it.</summary>
    Task ReleaseSourceAsync(MigrationHosts hosts, MigrationRecord record, Action<string> report, CancellationToken cancellationToken);

    /// <summary>
    /// Makes the tree a finished checkpoint left frozen on the source run again, with its connections, for a rollback
    /// or an undo.
    /// </summary>
    Task RunFrozenSourceAsync(MigrationHosts hosts, MigrationRecord record, WorkloadProcess frozen, CancellationToken cancellationToken);

    /// <summary>Clears what the halt left on the source besides the tree, once that tree has been ended for good.</summary>
    Task ClearEndedSourceAsync(MigrationHosts hosts, MigrationRecord record, CancellationToken cancellationToken);

    /// <summary>Sends the state this mode carries besides the datasets; <see langword="null"/> when it carries none.</summary>
    Task<TransferResult?> ShipStateAsync(MigrationHosts hosts, MigrationRecord record, Action<string> report, CancellationToken cancellationToken);

    /// <summary>Brings the workload up on the destination from what was shipped.</summary>
    Task StartOnDestinationAsync(
        MigrationHosts hosts, MigrationRecord record, WorkloadManifest manifest, Action<string> report, CancellationToken cancellationToken);

    /// <summary>
    /// Once the workload serves on the destination, waits until the memory it still pulls from the frozen source has
    /// all arrived (post-copy); only then may the switch commit. Throws when the transfer broke: the source then runs on.
    /// </summary>
    /// <returns>How long the pages took to arrive after the restore; <see langword="null"/> when nothing was left to pull.</returns>
    Task<TimeSpan?> AwaitMemoryAsync(MigrationHosts hosts, MigrationRecord record, Action<string> report, CancellationToken cancellationToken);

    /// <summary>
    /// Ends a memory transfer still under way toward the destination (post-copy), and the destination's tree that
    /// depends on it (when <paramref name="destinationReached"/>), so that the source takes the workload back whole.
    /// </summary>
    Task BreakMemoryTransferAsync(MigrationHosts hosts, MigrationRecord record, bool destinationReached, CancellationToken cancellationToken);

    /// <summary>Brings a stopped workload up on the source again after a switch that did not hold.</summary>
    Task StartOnSourceAsync(MigrationHosts hosts, MigrationRecord record, WorkloadManifest manifest, CancellationToken cancellationToken);

    /// <summary>
    /// Records the process of a tree that an interrupted switch or undo brought up on <paramref name="host"/> but did
    /// not record, so that it is stopped or kept rather than brought up a second time.
    /// </summary>
    /// <returns>Whether such a tree was found and adopted.</returns>
    Task<bool> AdoptAsync(WorkloadHost host, CriuHost criu, MigrationRecord record, CancellationToken cancellationToken);

    /// <summary>Waits for this mode's operations that a dead controller left running on the hosts.</summary>
    Task WaitForLeftoversAsync(MigrationHosts hosts, MigrationRecord record, bool destinationToo, CancellationToken cancellationToken);

    /// <summary>Copies this mode's logs of the switch into the journal beside the record.</summary>
    Task KeepLogsAsync(MigrationHosts hosts, MigrationRecord record, MigrationJournal journal);
}
