using System;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.IO;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using MigrationTools.Engine.Criu;
using MigrationTools.Engine.Migrations;
using MigrationTools.Engine.Remote;
using MigrationTools.Engine.Transfer;

namespace MigrationTools.Engine.Placement;

/// <summary>
/// The steps of a live switch that depend on how it moves memory (<see cref="MemoryMove"/>): the dump that streams
/// pages to a page server on the destination or serves them lazily from the frozen source, the wait for every page,
/// and breaking off a post-copy so that the source takes the workload back whole.
/// </summary>
internal static class MemoryTransfers
{
    /// <summary>$1 image directory. Prints how many bytes its memory pages hold.</summary>
    internal const string PagesBytesScript = "cd -- \"$1\" && cat -- pages-*.img 2>/dev/null | wc -c";

    /// <summary>How long the destination may take to pull the rest of the pages before the switch gives up and rolls back.</summary>
    private static readonly TimeSpan PagesLimit = TimeSpan.FromMinutes(30);

    /// <summary>How long a lazy dump may take to end after its puller hung up, before it is ended.</summary>
    private static readonly TimeSpan HangUpLimit = TimeSpan.FromSeconds(10);

    /// <summary>How long a page server may still take to write what a finished dump sent it.</summary>
    private static readonly TimeSpan PageServerLimit = TimeSpan.FromMinutes(2);

    /// <summary>
    /// The page relays this controller holds open, by migration: opened by the dump (or by the restore of a switch run
    /// again), ended once the pages have arrived, when the switch rolls back, or when opening fails.
    /// </summary>
    private static readonly ConcurrentDictionary<MigrationId, Task<PageRelay>> Relays = new();

    /// <summary>Where the page servers started before the freeze (<see cref="StartPagesAsync"/>) take a streamed dump's pages, by migration, until the dump.</summary>
    private static readonly ConcurrentDictionary<MigrationId, CriuPageServer> PageServers = new();

    /// <summary>
    /// Why pages cannot go from host to host; <see langword="null"/> when they can. With a direct transfer they go
    /// straight, when the source resolves the destination and has a route to it; when the migration relays its data
    /// they go through the controller, over port forwards of its ssh connections (<see cref="PageRelay"/>).
    /// </summary>
    public static async Task<string?> StreamBlockAsync(MigrationHosts hosts, MigrationSettings settings, CancellationToken cancellationToken) =>
        (await RouteAsync(hosts, settings, cancellationToken).ConfigureAwait(false)).Block;

    /// <summary>How pages can go from host to host (see <see cref="StreamBlockAsync"/>), with the addresses a direct route uses.</summary>
    public static async Task<PageRoute> RouteAsync(MigrationHosts hosts, MigrationSettings settings, CancellationToken cancellationToken)
    {
        if (settings.Path != TransferPath.Direct)
        {
            return ControlDirectory.IsSupported
                ? new PageRoute(null, null, Relayed: true)
                : new PageRoute("the migration relays its data through the controller, and only a Linux controller relays pages; transfer directly (-Direct; --direct on the command line).", null, Relayed: true);
        }

        try
        {
            return new PageRoute(null, await HostLink.ResolveAsync(hosts.SourceConnection, hosts.DestinationConnection.Destination, cancellationToken).ConfigureAwait(false), Relayed: false);
        }
        catch (RemoteException e)
        {
            return new PageRoute($"{hosts.SourceName} cannot reach {hosts.DestinationName} for pages: {e.Message}", null, Relayed: false);
        }
    }

    /// <summary>
    /// The choice as Test-Migration and the switch tell it: when the migration relays its data and pages go from host
    /// to host, the reason says that they go through the controller.
    /// </summary>
    public static MemoryTransferChoice Described(MemoryTransferChoice choice, MigrationSettings settings) =>
        choice is { Streamed: true, Refused: false } && settings.Path != TransferPath.Direct
            ? choice with
            {
                Reason = choice.Reason + " The pages are relayed through the controller, over port forwards of its ssh connections, since the migration relays its data.",
            }
            : choice;

    /// <summary>Why these hosts and settings cannot post-copy, beyond a link; <see langword="null"/> when they can.</summary>
    public static string? PostCopyBlock(CriuPreflight found, MigrationSettings settings) =>
        found.PostCopyBlock ?? SettingsBlockPostCopy(settings);

    /// <summary>Why the settings alone rule post-copy out; <see langword="null"/> when they do not.</summary>
    public static string? SettingsBlockPostCopy(MigrationSettings settings)
    {
        // After a post-copy the frozen source's images lack the pages it served, so it can only be resumed, never
        // restored: settings that end it early, or that need it restored to keep connections, rule post-copy out.
        if (settings.ReleaseSourceBeforeRestore)
        {
            return "the settings end the source before the restore, and a post-copy source must stay frozen until every page has arrived.";
        }

        return settings.Checkpoint.TcpEstablished
            ? "established connections are kept, and a post-copy source could not take them back after a broken transfer."
            : null;
    }

    /// <summary>
    /// Why these hosts cannot pre-copy (<see cref="PreCopyRounds"/>): the source's kernel does not track dirty memory, or
    /// a host has no usable CRIU; <see langword="null"/> when they can, over either path.
    /// </summary>
    public static string? PreCopyBlock(CriuPreflight found) => found.PreCopyBlock;

    /// <summary>Takes the switch's checkpoint on the source the way its memory move says.</summary>
    public static async Task<SourceCheckpoint> DumpAsync(MigrationHosts hosts, MigrationRecord record, CriuDumpRequest dump, CancellationToken cancellationToken)
    {
        var relayed = Relayed(record);
        switch (record.MemoryMove)
        {
            case { Method: MemoryTransfer.PostCopy }:
            {
                var listen = relayed ? IPAddress.Loopback : (await LinkAsync(hosts, record, cancellationToken).ConfigureAwait(false)).Source;
                var lazy = await hosts.SourceCriu.StartLazyDumpAsync(dump, listen, cancellationToken).ConfigureAwait(false);
                if (relayed)
                {
                    // Opened while the images travel, so that its handshakes add nothing to the downtime.
                    _ = StartRelay(record, () => PageRelay.OpenAsync(
                        hosts.SourceConnection, lazy.Endpoint.Port, hosts.DestinationConnection, RelayName(record), CancellationToken.None));
                }

                return new SourceCheckpoint(dump.Process, lazy.Endpoint);
            }

            case { Method: MemoryTransfer.StopAndCopy, Streamed: true }:
            {
                var server = PageServers.TryRemove(record.Id, out var started)
                    ? started
                    : await StartPageServerAsync(hosts, record, cancellationToken).ConfigureAwait(false);
                try
                {
                    await hosts.SourceCriu.DumpAsync(dump with { PageServer = server }, cancellationToken).ConfigureAwait(false);
                }
                catch
                {
                    await EndPageServerAsync(hosts, record).ConfigureAwait(false);
                    throw;
                }

                return new SourceCheckpoint(dump.Process);
            }

            default:
                await hosts.SourceCriu.DumpAsync(dump, cancellationToken).ConfigureAwait(false);
                return new SourceCheckpoint(dump.Process);
        }
    }

    /// <summary>
    /// Before the freeze, starts what a streamed stop-and-copy sends its pages to: the destination's page server, and
    /// the relay to it when the migration relays its data, so that neither adds to the downtime. Nothing to do for the
    /// other methods, or once the source is checkpointed.
    /// </summary>
    public static async Task StartPagesAsync(MigrationHosts hosts, MigrationRecord record, CancellationToken cancellationToken)
    {
        if (record.MemoryMove is not { Method: MemoryTransfer.StopAndCopy, Streamed: true } || record.CheckpointedProcess is not null)
        {
            return;
        }

        var server = await StartPageServerAsync(hosts, record, cancellationToken).ConfigureAwait(false);
        if (!PageServers.TryAdd(record.Id, server))
        {
            PageServers[record.Id] = server;
        }
    }

    /// <summary>Starts the destination's page server, and the relay to it when the migration relays its data; returns where the source's dump sends its pages.</summary>
    private static async Task<CriuPageServer> StartPageServerAsync(MigrationHosts hosts, MigrationRecord record, CancellationToken cancellationToken)
    {
        var relayed = Relayed(record);
        var listen = relayed ? IPAddress.Loopback : (await LinkAsync(hosts, record, cancellationToken).ConfigureAwait(false)).Destination;
        var server = await hosts.DestinationCriu.StartPageServerAsync(CheckpointImages.Of(record), listen, cancellationToken).ConfigureAwait(false);
        if (!relayed)
        {
            return server;
        }

        try
        {
            var relay = await StartRelay(record, () => PageRelay.OpenAsync(
                hosts.DestinationConnection, server.Port, hosts.SourceConnection, RelayName(record), CancellationToken.None)).ConfigureAwait(false);
            return new CriuPageServer(IPAddress.Loopback, relay.ClientPort);
        }
        catch
        {
            await EndPageServerAsync(hosts, record).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Ends a streamed stop-and-copy's page server and relay that no dump finished sending to (it would listen on otherwise).</summary>
    private static async Task EndPageServerAsync(MigrationHosts hosts, MigrationRecord record)
    {
        PageServers.TryRemove(record.Id, out _);
        await CloseRelayAsync(record).ConfigureAwait(false);
        try
        {
            await hosts.DestinationConnection.ExecuteAsync(
                CriuCommands.StopDetached(CheckpointImages.Of(record), CriuDetachedScripts.PageServer), CancellationToken.None).ConfigureAwait(false);
        }
        catch (RemoteException)
        {
            // The destination is out of reach: a page server there ends with the dump's connection or with the host.
        }
    }

    /// <summary>
    /// Where the destination's lazy-pages daemon pulls a post-copy's pages from: the source's lazy dump itself with a
    /// direct transfer; the port on the destination's 127.0.0.1 that a relay through the controller leads to it by,
    /// when the migration relays its data (opened now if the dump did not, as for a switch run again).
    /// </summary>
    /// <exception cref="MigrationRefusedException">The record does not say where the source serves the pages.</exception>
    public static async Task<CriuPageServer> LazyPagesForRestoreAsync(MigrationHosts hosts, MigrationRecord record, CancellationToken cancellationToken)
    {
        var source = record.MemoryMove?.LazyPages ?? throw new MigrationRefusedException(
            $"The switch of {record.Workload} moves memory by post-copy, but the record does not say where {record.Source} serves the pages; " +
            "undo the migration and switch again.");
        if (!Relayed(record))
        {
            return source;
        }

        try
        {
            var relay = await StartRelay(record, () => PageRelay.OpenAsync(
                hosts.SourceConnection, source.Port, hosts.DestinationConnection, RelayName(record), CancellationToken.None)).ConfigureAwait(false);
            return new CriuPageServer(IPAddress.Loopback, relay.ClientPort);
        }
        catch
        {
            await CloseRelayAsync(record).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Waits until the destination's page server has written every page a streamed dump sent it, into the images'
    /// directory there (the rest of the images join them, <see cref="CriuImageShipment.RelayAsync"/>).
    /// </summary>
    /// <returns>The bytes of the pages.</returns>
    public static async Task<long> AwaitStreamedPagesAsync(MigrationHosts hosts, MigrationRecord record, CancellationToken cancellationToken)
    {
        var images = CheckpointImages.Of(record);
        CriuTransferOutcome outcome;
        try
        {
            outcome = await hosts.DestinationCriu.WaitForPageServerAsync(images, PageServerLimit, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            // The page server has every page, or never will.
            await CloseRelayAsync(record).ConfigureAwait(false);
        }

        if (outcome.State != CriuTransferState.Finished)
        {
            throw new CriuException(
                $"The page server on {record.Destination} did not receive {record.Workload}'s pages ({outcome.State}): {outcome.Detail}");
        }

        var size = await hosts.DestinationConnection.RunAsync(
            RemoteCommand.Create("sh", "-c", PagesBytesScript, "sh", images.Path), cancellationToken).ConfigureAwait(false);
        return long.TryParse(size.Text.Trim(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var bytes)
            ? bytes
            : 0;
    }

    /// <summary>
    /// After a post-copy restore, waits until the frozen source has served every page and the destination's
    /// lazy-pages daemon has placed them. Nothing to wait for with other methods.
    /// </summary>
    /// <returns>How long that took; <see langword="null"/> when nothing was pulled.</returns>
    /// <exception cref="CriuException">The transfer broke off, or outlasted its limit.</exception>
    public static async Task<TimeSpan?> AwaitPagesAsync(MigrationHosts hosts, MigrationRecord record, Action<string> report, CancellationToken cancellationToken)
    {
        if (record.MemoryMove is not { Method: MemoryTransfer.PostCopy })
        {
            return null;
        }

        report($"Pulling the rest of {record.Workload}'s memory from {record.Source}");
        var clock = Stopwatch.StartNew();
        var images = CheckpointImages.Of(record);
        CriuTransferOutcome served;
        try
        {
            served = await hosts.SourceCriu.WaitForLazyDumpAsync(images, PagesLimit, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            // The source has served every page, or never will.
            await CloseRelayAsync(record).ConfigureAwait(false);
        }

        if (served.State != CriuTransferState.Finished)
        {
            throw new CriuException(
                $"The post-copy of {record.Workload}'s memory from {record.Source} did not finish ({served.State}): {served.Detail}");
        }

        // The source's CRIU also ends "successfully" when the daemon hangs up early, so only the daemon's own end says
        // that every page was placed.
        var placed = await hosts.DestinationCriu.WaitForLazyPagesAsync(images, PageServerLimit, cancellationToken).ConfigureAwait(false);
        if (placed.State != CriuTransferState.Finished)
        {
            throw new CriuException(
                $"The lazy-pages daemon on {record.Destination} did not place every page of {record.Workload} ({placed.State}): {placed.Detail}");
        }

        return clock.Elapsed;
    }

    /// <summary>
    /// What becomes of a post-copy dump still serving pages on the source when a phase starts again after its controller
    /// died: one the record names (it knows where the pages are served) serves on, for the switch to restore from or to
    /// finish pulling; one that the controller died starting is ended, since no one will ever pull from it, and its tree
    /// runs on.
    /// </summary>
    /// <returns>Whether a recorded post-copy dump serves on.</returns>
    public static async Task<bool> SettleLazyDumpAsync(MigrationHosts hosts, MigrationRecord record, CancellationToken cancellationToken)
    {
        if (record.MemoryMove is not { Method: MemoryTransfer.PostCopy })
        {
            return false;
        }

        var images = CheckpointImages.Of(record);
        if ((await hosts.SourceCriu.WaitForLazyDumpAsync(images, TimeSpan.Zero, cancellationToken).ConfigureAwait(false)).State != CriuTransferState.Running)
        {
            return false;
        }

        if (record.CheckpointedProcess is not null && record.MemoryMove.LazyPages is not null)
        {
            return true;
        }

        await hosts.SourceCriu.StopLazyDumpAsync(images, cancellationToken).ConfigureAwait(false);
        return false;
    }

    /// <summary>
    /// Breaks off a post-copy toward the destination that has not placed every page: the lazy-pages daemon and the tree
    /// that depends on it end at once (SIGKILL, not a graceful stop: pages it never got read as zeros, so it must not run
    /// on). The source's lazy dump then ends: CRIU resumes the tree, or, taking the hang-up for the end, leaves it stopped
    /// as after any dump, for the rollback to resume. Nothing to do for the other methods, or once every page has
    /// arrived (the destination's tree is whole, and stops as any other).
    /// </summary>
    /// <param name="hosts">The migration's hosts.</param>
    /// <param name="record">The migration.</param>
    /// <param name="destinationReached">Whether the destination answers; when not, it never restored, and only the source is seen to.</param>
    /// <param name="cancellationToken">Stops the commands.</param>
    public static async Task BreakAsync(MigrationHosts hosts, MigrationRecord record, bool destinationReached, CancellationToken cancellationToken)
    {
        // Pages relayed through this controller go no further, whatever the method; a page server started for a dump
        // that never came is ended.
        if (PageServers.ContainsKey(record.Id))
        {
            await EndPageServerAsync(hosts, record).ConfigureAwait(false);
        }

        await CloseRelayAsync(record).ConfigureAwait(false);
        if (record.MemoryMove is not { Method: MemoryTransfer.PostCopy })
        {
            return;
        }

        var images = CheckpointImages.Of(record);
        // Only the daemon's own end says that every page was placed (see AwaitPagesAsync): short of it the tree lacks pages.
        if (destinationReached &&
            (await hosts.DestinationCriu.WaitForLazyPagesAsync(images, TimeSpan.Zero, cancellationToken).ConfigureAwait(false)).State != CriuTransferState.Finished)
        {
            await hosts.DestinationCriu.StopLazyPagesAsync(images, cancellationToken).ConfigureAwait(false);
            await hosts.Destination.Runtime.KillAsync(record.Workload, cancellationToken).ConfigureAwait(false);
        }

        // A lazy dump whose puller hung up ends by itself; one that no daemon ever reached (the switch failed, or its
        // controller died, before the restore) would serve forever: it is ended, and its tree runs on.
        if ((await hosts.SourceCriu.WaitForLazyDumpAsync(images, HangUpLimit, cancellationToken).ConfigureAwait(false)).State == CriuTransferState.Running)
        {
            await hosts.SourceCriu.StopLazyDumpAsync(images, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Whether the migration relays its data through the controller, and so its pages too.</summary>
    private static bool Relayed(MigrationRecord record) => record.Settings.Path != TransferPath.Direct;

    /// <summary>The relay's socket name: the migration, and a random part so that a relay a dead controller left never shares it.</summary>
    private static string RelayName(MigrationRecord record) => record.Id.Value + "-" + Guid.NewGuid().ToString("N").Substring(0, 6);

    /// <summary>
    /// The addresses the memory choice resolved (kept in the record), so a frozen window asks nothing; a record written
    /// before they were kept resolves them again.
    /// </summary>
    internal static async Task<HostLinkAddresses> LinkAsync(MigrationHosts hosts, MigrationRecord record, CancellationToken cancellationToken) =>
        record.MemoryMove?.Link
        ?? await HostLink.ResolveAsync(hosts.SourceConnection, hosts.DestinationConnection.Destination, cancellationToken).ConfigureAwait(false);

    /// <summary>The migration's relay: the one being opened or open, else one opened now.</summary>
    private static Task<PageRelay> StartRelay(MigrationRecord record, Func<Task<PageRelay>> open) =>
        Relays.GetOrAdd(record.Id, _ => open());

    /// <summary>Ends the migration's relay, if this controller holds one; the pages it carried have arrived or never will.</summary>
    private static async Task CloseRelayAsync(MigrationRecord record)
    {
        if (!Relays.TryRemove(record.Id, out var opening))
        {
            return;
        }

        try
        {
            var relay = await opening.ConfigureAwait(false);
            await relay.CloseAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is RemoteException or OperationCanceledException or IOException or InvalidOperationException or PlatformNotSupportedException or ArgumentException)
        {
            // It never opened: nothing to end (opening ends what it started when it fails).
        }
    }
}
