using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using MigrationTools.Engine.Criu;
using MigrationTools.Engine.Migrations;
using MigrationTools.Engine.Remote;
using MigrationTools.Engine.Transfer;
using MigrationTools.Engine.Workloads;

namespace MigrationTools.Engine.Placement;

/// <summary>
/// Pre-copy for a live switch: rounds of <c>criu pre-dump --track-mem</c> on the source while the workload runs, each
/// into a directory of its own chained to the previous one (<see cref="CriuImageDirectory.PreCopyRound"/>) and on the
/// destination as soon as it is written, until <see cref="PreCopyConvergence"/> says stop; then the frozen dump that
/// writes only the pages dirtied since the last round. With pages going host to host (<see cref="MemoryMove.Streamed"/>)
/// each round goes to a page server on the destination; otherwise each round's images are shipped as the checkpoint's
/// are. The restore on the destination follows the chain from the checkpoint's directory.
/// </summary>
internal static class PreCopyRounds
{
    /// <summary>How long a page server may still take to write what a finished pre-dump sent it.</summary>
    private static readonly TimeSpan PageServerLimit = TimeSpan.FromMinutes(2);

    /// <summary>
    /// Runs the rounds before the freeze. A round that fails changes nothing the workload sees (a pre-dump lets the tree
    /// run on): the rounds' directories are removed on both hosts and the outcome says why, for the switch to fall back
    /// to stop-and-copy. A lost connection or a cancellation is thrown, for the switch to roll back.
    /// </summary>
    /// <param name="hosts">The migration's hosts.</param>
    /// <param name="record">The migration, whose memory move is pre-copy.</param>
    /// <param name="process">The running root of the tree.</param>
    /// <param name="report">Receives the activity.</param>
    /// <param name="recorded">Receives the pages of every round so far, after each round, to be kept in the record.</param>
    /// <param name="cancellationToken">Stops the rounds.</param>
    /// <returns>The pages each round wrote, or why the rounds were given up.</returns>
    public static async Task<PreCopyOutcome> RunAsync(
        MigrationHosts hosts, MigrationRecord record, WorkloadProcess process, Action<string> report, Action<IReadOnlyList<long>> recorded,
        CancellationToken cancellationToken)
    {
        if (hosts is null || record is null || process is null || report is null || recorded is null)
        {
            throw new ArgumentNullException(hosts is null ? nameof(hosts) : record is null ? nameof(record) : process is null ? nameof(process) : report is null ? nameof(report) : nameof(recorded));
        }

        var images = CheckpointImages.Of(record);
        var streamed = record.MemoryMove is { Streamed: true };
        if (record.MemoryMove?.PreCopyPages is not null)
        {
            // An earlier run's rounds: the tree ran on since, so they start again from a whole copy.
            await RemoveRoundsAsync(hosts, images, cancellationToken).ConfigureAwait(false);
        }

        var pages = new List<long>();
        try
        {
            var link = streamed ? await MemoryTransfers.LinkAsync(hosts, record, cancellationToken).ConfigureAwait(false) : null;
            while (true)
            {
                var round = pages.Count + 1;
                report($"Pre-copying {record.Workload}'s memory to {record.Destination} while it runs (round {round})");
                pages.Add(await RoundAsync(hosts, record, images, process, round, link, cancellationToken).ConfigureAwait(false));
                recorded(pages.ToArray());
                if (PreCopyConvergence.StopReason(pages) is { } stop)
                {
                    report($"Pre-copy of {record.Workload} converged: {stop}");
                    return new PreCopyOutcome(pages.ToArray(), null);
                }
            }
        }
        catch (Exception e) when (e is RemoteException and not ConnectionFailedException || e is System.IO.IOException or TimeoutException)
        {
            // Best effort: what is left goes with the checkpoint's directory when the switch commits or rolls back.
            await PhaseFailures.IgnoreFailureAsync(RemoveRoundsAsync(hosts, images, CancellationToken.None)).ConfigureAwait(false);
            return new PreCopyOutcome(Array.Empty<long>(), $"pre-copy round {pages.Count + 1} failed: {e.Message}");
        }
    }

    /// <summary>
    /// The switch's frozen dump after the rounds (none when <see cref="MemoryMove.PreCopyPages"/> is empty): chained to
    /// the last round (<c>--track-mem --prev-images-dir</c>), so it writes only the pages dirtied since, streamed to a
    /// page server on the destination chained the same way, or written with the images.
    /// </summary>
    /// <param name="hosts">The migration's hosts.</param>
    /// <param name="record">The migration, whose memory move is pre-copy.</param>
    /// <param name="dump">The dump as any other switch takes it.</param>
    /// <param name="cancellationToken">Stops the commands.</param>
    /// <returns>The checkpoint.</returns>
    public static async Task<SourceCheckpoint> DumpAsync(MigrationHosts hosts, MigrationRecord record, CriuDumpRequest dump, CancellationToken cancellationToken)
    {
        if (hosts is null || record is null || dump is null)
        {
            throw new ArgumentNullException(hosts is null ? nameof(hosts) : record is null ? nameof(record) : nameof(dump));
        }

        var rounds = record.MemoryMove?.PreCopyPages?.Count ?? 0;
        var previous = rounds > 0 ? dump.Images.PreCopyRoundLink(rounds) : null;
        var chained = dump with { PreviousImages = previous };
        if (record.MemoryMove is { Streamed: true })
        {
            var link = await MemoryTransfers.LinkAsync(hosts, record, cancellationToken).ConfigureAwait(false);
            var server = await hosts.DestinationCriu.StartChainedPageServerAsync(dump.Images, link.Destination, previous, cancellationToken).ConfigureAwait(false);
            chained = chained with { PageServer = server };
        }

        await hosts.SourceCriu.DumpAsync(chained, cancellationToken).ConfigureAwait(false);
        return new SourceCheckpoint(dump.Process);
    }

    /// <summary>Removes every round's directory on both hosts, leaving the checkpoint's own directory alone.</summary>
    /// <param name="hosts">The migration's hosts.</param>
    /// <param name="images">The checkpoint's directory.</param>
    /// <param name="cancellationToken">Stops the commands.</param>
    /// <returns>A task that completes when both hosts are clean.</returns>
    public static Task RemoveRoundsAsync(MigrationHosts hosts, CriuImageDirectory images, CancellationToken cancellationToken) =>
        Task.WhenAll(
            hosts.SourceCriu.RemovePreCopyRoundsAsync(images, cancellationToken),
            hosts.DestinationCriu.RemovePreCopyRoundsAsync(images, cancellationToken));

    /// <summary>One round: pre-dumps into the round's directory and puts its pages on the destination.</summary>
    /// <returns>The pages it wrote; -1 when CRIU did not say.</returns>
    private static async Task<long> RoundAsync(
        MigrationHosts hosts, MigrationRecord record, CriuImageDirectory images, WorkloadProcess process, int round, HostLinkAddresses? link,
        CancellationToken cancellationToken)
    {
        var directory = images.PreCopyRound(round);
        var previous = round > 1 ? images.PreCopyRoundLink(round - 1) : null;
        var request = new CriuPreDumpRequest(process, directory) { Options = record.Settings.Checkpoint, PreviousImages = previous };
        if (link is null)
        {
            var written = await hosts.SourceCriu.PreDumpAsync(request, cancellationToken).ConfigureAwait(false);
            await CriuCheckpointStrategy.ShipImagesAsync(
                hosts.SourceConnection, hosts.DestinationConnection, record.Destination, directory, record.Settings, besidePages: false, cancellationToken)
                .ConfigureAwait(false);
            return written;
        }

        var server = await hosts.DestinationCriu.StartChainedPageServerAsync(directory, link.Destination, previous, cancellationToken).ConfigureAwait(false);
        long pages;
        try
        {
            pages = await hosts.SourceCriu.PreDumpAsync(request with { PageServer = server }, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (PhaseFailures.IsFailure(e))
        {
            // A page server whose sender never connected waits for ever.
            await PhaseFailures.IgnoreFailureAsync(hosts.DestinationCriu.StopPageServerAsync(directory, CancellationToken.None)).ConfigureAwait(false);
            throw;
        }

        var received = await hosts.DestinationCriu.WaitForPageServerAsync(directory, PageServerLimit, cancellationToken).ConfigureAwait(false);
        if (received.State != CriuTransferState.Finished)
        {
            throw new CriuException(
                $"The page server on {record.Destination} did not receive pre-copy round {round} of {record.Workload}'s pages ({received.State}): {received.Detail}");
        }

        return pages;
    }
}
