using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using MigrationTools.Engine.Criu;
using MigrationTools.Engine.Journal;
using MigrationTools.Engine.Migrations;
using MigrationTools.Engine.Preflight;
using MigrationTools.Engine.Remote;
using MigrationTools.Engine.Transfer;
using MigrationTools.Engine.Workloads;

namespace MigrationTools.Engine.Placement;

/// <summary>Live migration: the process tree is checkpointed with CRIU on the source and restored with its memory on the destination.</summary>
internal sealed class CriuCheckpointStrategy : ICheckpointStrategy
{
    /// <summary>How long a checkpoint or restore left by a dead controller may still run before the phase gives up on it.</summary>
    private static readonly TimeSpan LeftoverLimit = TimeSpan.FromMinutes(2);

    private CriuCheckpointStrategy()
    {
    }

    public static CriuCheckpointStrategy Instance { get; } = new();

    public CheckpointMode Mode => CheckpointMode.Criu;

    public PreflightCheck CheckStoppedSource(WorkloadName workload, string host) =>
        PreflightCheck.Fail(MigrationChecks.SourceRunning,
            $"{workload} is not running on {host}, and a live (criu) migration moves a running process; " +
            "start it there first, or declare it with checkpoint mode restart.", host);

    public async Task<CheckpointPreflight> PreflightAsync(MigrationHosts hosts, MigrationSettings settings, CancellationToken cancellationToken)
    {
        var criu = CriuPreflight.RunAsync(hosts.SourceCriu, hosts.DestinationCriu, cancellationToken);
        var link = MemoryTransfers.RouteAsync(hosts, settings, cancellationToken);
        await Task.WhenAll(criu, link).ConfigureAwait(false);
        var found = await criu.ConfigureAwait(false);
        var route = await link.ConfigureAwait(false);

        // A source ended before the restore comes back on a rollback only from its own checkpoint, which must then hold
        // its pages: none may go to the destination alone.
        var streamBlock = route.Block ?? (settings.ReleaseSourceBeforeRestore
            ? "the settings end the source before the restore, and a rollback restores it from its own checkpoint, which must then hold its pages."
            : null);
        var chosen = MemoryTransferChoice.Choose(
            settings.MemoryTransfer, MemoryTransfers.PostCopyBlock(found, settings), MemoryTransfers.PreCopyBlock(found), streamBlock);

        // Pre-copy rounds stream their pages only host to host; relayed, they travel in the images.
        if (chosen is { Method: MemoryTransfer.PreCopy, Streamed: true } && route.Relayed)
        {
            chosen = MemoryTransferChoice.Choose(
                settings.MemoryTransfer, MemoryTransfers.PostCopyBlock(found, settings), MemoryTransfers.PreCopyBlock(found),
                "pre-copy rounds stream their pages only between hosts that reach each other, and the migration relays its data.");
        }

        var choice = MemoryTransfers.Described(chosen, settings) with { Link = route.Link };
        var check = choice.Refused
            ? PreflightCheck.Fail(MigrationChecks.MemoryTransfer, choice.Reason)
            : PreflightCheck.Pass(MigrationChecks.MemoryTransfer, choice.Reason);
        return new CheckpointPreflight(found.Checks.Concat(new[] { check }).ToArray(), choice);
    }

    public async Task<MemoryTransferChoice?> ChooseMemoryTransferAsync(MigrationHosts hosts, MigrationSettings settings, CancellationToken cancellationToken) =>
        (await PreflightAsync(hosts, settings, cancellationToken).ConfigureAwait(false)).MemoryTransfer;

    public async Task<SourceCheckpoint?> HaltSourceAsync(
        MigrationHosts hosts, MigrationRecord record, WorkloadStatus source, Action<string> report, CancellationToken cancellationToken)
    {
        if (record.CheckpointedProcess is not null)
        {
            return null;
        }

        if (source.State == WorkloadState.Frozen)
        {
            // A checkpoint that was cut short: let the tree run and take it again. Its images may be incomplete, so it is
            // resumed, never restored from them: connections a cut-short --tcp-established dump locked may then reset,
            // which a client survives, where a restore from half a checkpoint would lose the workload.
            await hosts.SourceCriu.ResumeAsync(source.Process!, cancellationToken).ConfigureAwait(false);
        }
        else if (source.State != WorkloadState.Running)
        {
            throw new MigrationRefusedException(
                $"{record.Workload} is not running on {record.Source}, so there is nothing to checkpoint; start it there and switch again.");
        }

        report($"Checkpointing {record.Workload} on {record.Source}");
        var dump = new CriuDumpRequest(source.Process!, CheckpointImages.Of(record))
        {
            CarriedFiles = new[] { hosts.Source.Paths.OutputLog(record.Workload) },
            Options = record.Settings.Checkpoint,
        };
        return record.MemoryMove is { Method: MemoryTransfer.PreCopy }
            ? await PreCopyRounds.DumpAsync(hosts, record, dump, cancellationToken).ConfigureAwait(false)
            : await MemoryTransfers.DumpAsync(hosts, record, dump, cancellationToken).ConfigureAwait(false);
    }

    public Task<TimeSpan?> AwaitMemoryAsync(MigrationHosts hosts, MigrationRecord record, Action<string> report, CancellationToken cancellationToken) =>
        MemoryTransfers.AwaitPagesAsync(hosts, record, report, cancellationToken);

    public Task BreakMemoryTransferAsync(MigrationHosts hosts, MigrationRecord record, bool destinationReached, CancellationToken cancellationToken) =>
        MemoryTransfers.BreakAsync(hosts, record, destinationReached, cancellationToken);

    /// <summary>
    /// Makes a tree that a finished dump left frozen on the source run again, with its connections. Without
    /// <c>--tcp-established</c> that is a resume (SIGCONT). With it, a resumed tree's established sockets stay in CRIU's
    /// repair mode and their clients see a reset (measured), so the frozen tree is killed, silently since its sockets are
    /// in repair mode and locked, and restored here from its own images, which brings the connections back and
    /// removes the network lock. The restore records the new root as the workload's process.
    /// </summary>
    /// <param name="hosts">The migration's hosts.</param>
    /// <param name="record">The migration, whose settings say how the dump was taken.</param>
    /// <param name="frozen">The frozen root.</param>
    /// <param name="cancellationToken">Stops the commands.</param>
    /// <returns>A task that completes when the workload runs on the source.</returns>
    public async Task RunFrozenSourceAsync(MigrationHosts hosts, MigrationRecord record, WorkloadProcess frozen, CancellationToken cancellationToken)
    {
        if (hosts is null || record is null || frozen is null)
        {
            throw new ArgumentNullException(hosts is null ? nameof(hosts) : record is null ? nameof(record) : nameof(frozen));
        }

        await RunFrozenAgainAsync(hosts.Source, hosts.SourceCriu, CheckpointImages.Of(record), record, frozen, restorable: true, cancellationToken)
            .ConfigureAwait(false);
    }

    /// <summary>
    /// Makes a tree a finished dump left frozen on <paramref name="host"/> run again, in either direction (a switch's
    /// source, or an undo's destination): resumed, or, when its established connections must come back and
    /// <paramref name="restorable"/> says its images are whole, killed and restored from them.
    /// </summary>
    internal static async Task RunFrozenAgainAsync(
        WorkloadHost host, CriuHost criu, CriuImageDirectory images, MigrationRecord record, WorkloadProcess frozen, bool restorable,
        CancellationToken cancellationToken)
    {
        if (!record.Settings.Checkpoint.TcpEstablished || !restorable)
        {
            await criu.ResumeAsync(frozen, cancellationToken).ConfigureAwait(false);
            return;
        }

        await host.Runtime.KillAsync(record.Workload, cancellationToken).ConfigureAwait(false);
        await criu.RestoreAsync(RestoreRequest(images, record, host), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Removes the network lock a <c>--tcp-established</c> dump left on the source, once the frozen tree is killed after
    /// the move (before the images are removed: their dump log names the rules). Nothing to do for other dumps.
    /// </summary>
    /// <param name="hosts">The migration's hosts.</param>
    /// <param name="record">The migration.</param>
    /// <param name="cancellationToken">Stops the command.</param>
    /// <returns>How many rules and tables were removed.</returns>
    public async Task ClearEndedSourceAsync(MigrationHosts hosts, MigrationRecord record, CancellationToken cancellationToken) =>
        await ReleaseSourceNetworkLockAsync(hosts, record, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc cref="ClearEndedSourceAsync"/>
    /// <returns>How many rules and tables were removed.</returns>
    internal static async Task<int> ReleaseSourceNetworkLockAsync(MigrationHosts hosts, MigrationRecord record, CancellationToken cancellationToken)
    {
        if (hosts is null || record is null)
        {
            throw new ArgumentNullException(hosts is null ? nameof(hosts) : nameof(record));
        }

        if (!record.Settings.Checkpoint.TcpEstablished || record.CheckpointedProcess is not { } frozen)
        {
            return 0;
        }

        return await hosts.SourceCriu.ReleaseNetworkLockAsync(frozen, CheckpointImages.Of(record), cancellationToken).ConfigureAwait(false);
    }

    public Task ReleaseSourceAsync(MigrationHosts hosts, MigrationRecord record, Action<string> report, CancellationToken cancellationToken)
    {
        // The checkpoint is taken, and a rollback restores the source from it.
        if (!record.Settings.ReleaseSourceBeforeRestore)
        {
            return Task.CompletedTask;
        }

        report($"Ending the frozen tree on {record.Source}");
        return hosts.Source.Runtime.KillAsync(record.Workload, cancellationToken);
    }

    public async Task<TransferResult?> ShipStateAsync(MigrationHosts hosts, MigrationRecord record, Action<string> report, CancellationToken cancellationToken)
    {
        report($"Sending the checkpoint to {record.Destination}");
        var images = CheckpointImages.Of(record);
        if (record.MemoryMove is { Streamed: true, Method: MemoryTransfer.StopAndCopy or MemoryTransfer.PreCopy })
        {
            // The pages went to the destination's page server during the dump; the rest of the images follow.
            var pages = MemoryTransfers.AwaitStreamedPagesAsync(hosts, record, cancellationToken);
            var rest = ShipImagesAsync(hosts.SourceConnection, hosts.DestinationConnection, record.Destination, images, record.Settings, besidePages: true, cancellationToken);
            await Task.WhenAll(pages, rest).ConfigureAwait(false);
            var shipped = await rest.ConfigureAwait(false);
            return shipped with { Bytes = shipped.Bytes + await pages.ConfigureAwait(false) };
        }

        return await ShipImagesAsync(hosts.SourceConnection, hosts.DestinationConnection, record.Destination, images, record.Settings, besidePages: false, cancellationToken)
            .ConfigureAwait(false);
    }

    /// <summary>
    /// Sends a checkpoint's images from one host to the same directory on the other, in either direction (a switch's
    /// checkpoint to the destination, an undo's back to the source), by the migration's transfer path and limit.
    /// </summary>
    /// <remarks>With <paramref name="besidePages"/>, a streamed dump's images join the pages the page server put there.</remarks>
    internal static async Task<TransferResult> ShipImagesAsync(
        SshConnection from, SshConnection to, string toHost, CriuImageDirectory images, MigrationSettings settings, bool besidePages,
        CancellationToken cancellationToken)
    {
        if (settings.Path != TransferPath.Direct)
        {
            return await CriuImageShipment.RelayAsync(from, images, to, images, new ProgressMeter(null), settings.BandwidthLimit, besidePages, cancellationToken)
                .ConfigureAwait(false);
        }

        // Whether the target elevates through its helper is known once its connection is open.
        await from.OpenAsync(cancellationToken).ConfigureAwait(false);
        await to.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await CriuImageShipment.DirectAsync(
            from, images, SshDestination.Parse(toHost), images, new ProgressMeter(null), to.Options.UseSudo, settings.BandwidthLimit, besidePages,
            to.HostHelper, cancellationToken).ConfigureAwait(false);
    }

    public async Task StartOnDestinationAsync(
        MigrationHosts hosts, MigrationRecord record, WorkloadManifest manifest, Action<string> report, CancellationToken cancellationToken)
    {
        report($"Restoring {record.Workload} on {record.Destination}");
        // The restore records the tree's PID itself: a tree running without its PID file looks stopped to anyone
        // who asks the host, until a rerun adopts it.
        if (record.MemoryMove is { Method: MemoryTransfer.PostCopy })
        {
            var source = await MemoryTransfers.LazyPagesForRestoreAsync(hosts, record, cancellationToken).ConfigureAwait(false);
            await hosts.DestinationCriu.RestoreLazilyAsync(RestoreRequest(CheckpointImages.Of(record), record, hosts.Destination), source, cancellationToken).ConfigureAwait(false);
            return;
        }

        await hosts.DestinationCriu.RestoreAsync(RestoreRequest(CheckpointImages.Of(record), record, hosts.Destination), cancellationToken).ConfigureAwait(false);
    }

    public async Task StartOnSourceAsync(MigrationHosts hosts, MigrationRecord record, WorkloadManifest manifest, CancellationToken cancellationToken)
    {
        if (record.CheckpointedProcess is not null)
        {
            await hosts.SourceCriu.RestoreAsync(RestoreRequest(CheckpointImages.Of(record), record, hosts.Source), cancellationToken).ConfigureAwait(false);
        }
        else
        {
            // Never checkpointed: the tree was stopped some other way, and its memory is gone.
            await hosts.Source.Runtime.StartAsync(manifest, cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task<bool> AdoptAsync(WorkloadHost host, CriuHost criu, MigrationRecord record, CancellationToken cancellationToken)
    {
        if (record.CheckpointedProcess is null)
        {
            return false;
        }

        var restored = await criu.FindRestoredAsync(CheckpointImages.Of(record), cancellationToken).ConfigureAwait(false);
        if (restored is null)
        {
            return false;
        }

        await host.Runtime.AdoptAsync(record.Workload, restored, cancellationToken).ConfigureAwait(false);
        return true;
    }

    public async Task WaitForLeftoversAsync(MigrationHosts hosts, MigrationRecord record, bool destinationToo, CancellationToken cancellationToken)
    {
        var images = CheckpointImages.Of(record);
        var waits = new List<Task<bool>> { hosts.SourceCriu.WaitForOperationAsync(CriuOperation.Restore, images, LeftoverLimit, cancellationToken) };
        // A post-copy dump serves its pages until they are pulled: one the switch recorded is left serving, for the
        // switch run again to restore from; it is not a leftover to wait for.
        if (!await MemoryTransfers.SettleLazyDumpAsync(hosts, record, cancellationToken).ConfigureAwait(false))
        {
            waits.Add(hosts.SourceCriu.WaitForOperationAsync(CriuOperation.Dump, images, LeftoverLimit, cancellationToken));
        }

        if (destinationToo)
        {
            waits.Add(hosts.DestinationCriu.WaitForOperationAsync(CriuOperation.Restore, images, LeftoverLimit, cancellationToken));
        }

        // A pre-copy round still running holds the tree, and a new round or the dump would fail on it.
        if (record.MemoryMove is { Method: MemoryTransfer.PreCopy })
        {
            waits.Add(hosts.SourceCriu.WaitForOperationAsync(CriuOperation.PreDump, images, LeftoverLimit, cancellationToken));
        }

        if ((await Task.WhenAll(waits).ConfigureAwait(false)).Contains(false))
        {
            throw new MigrationRefusedException(
                $"A checkpoint or restore of {record.Workload} ({images}) is still running after {LeftoverLimit.TotalMinutes} minutes; " +
                "wait for it to end (see criu's log in that directory), then run the phase again.");
        }
    }

    public async Task KeepLogsAsync(MigrationHosts hosts, MigrationRecord record, MigrationJournal journal)
    {
        var images = CheckpointImages.Of(record);
        var logs = new List<(CriuHost, CriuImageDirectory, CriuOperation, string)>
        {
            (hosts.SourceCriu, images, CriuOperation.Dump, "dump.log"),
            (hosts.DestinationCriu, images, CriuOperation.Restore, "restore.log"),
            (hosts.SourceCriu, images, CriuOperation.Restore, "source-restore.log"),
            (hosts.DestinationCriu, images, CriuOperation.LazyPages, "lazy-pages.log"),
            (hosts.DestinationCriu, images, CriuOperation.PageServer, "page-server.log"),
        };
        for (var round = 1; round <= (record.MemoryMove?.PreCopyPages?.Count ?? 0); round++)
        {
            var directory = images.PreCopyRound(round);
            var suffix = round.ToString(System.Globalization.CultureInfo.InvariantCulture);
            logs.Add((hosts.SourceCriu, directory, CriuOperation.PreDump, $"pre-dump-{suffix}.log"));
            logs.Add((hosts.DestinationCriu, directory, CriuOperation.PageServer, $"page-server-{suffix}.log"));
        }

        foreach (var (criu, directory, operation, name) in logs)
        {
            try
            {
                var log = await criu.ReadLogAsync(directory, operation, CancellationToken.None).ConfigureAwait(false);
                if (log.Length > 0)
                {
                    journal.SaveLog(record.Id, name, log);
                }
            }
            catch (Exception e) when (e is RemoteException or System.IO.IOException or UnauthorizedAccessException)
            {
                // The logs are for reading later; the migration does not depend on them.
            }
        }
    }

    /// <summary>The restore of the switch's checkpoint, with the options of its dump, recording the tree as the workload's process.</summary>
    /// <summary>The restore of a switch's or an undo's checkpoint, with the options of its dump, recording the tree as the workload's process on <paramref name="host"/>.</summary>
    internal static CriuRestoreRequest RestoreRequest(CriuImageDirectory images, MigrationRecord record, WorkloadHost host) =>
        new(images) { Options = record.Settings.Checkpoint, RecordFile = host.Runtime.Paths.PidFile(record.Workload) };
}
