using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using MigrationTools.Engine.Remote;

namespace MigrationTools.Engine.Zfs;

// ZfsHost: what surrounds a stream: its size, resuming or abandoning it, and settling the received copy.
public sealed partial class ZfsHost
{
    /// <summary>
    /// The expected size of a stream from this host, from ZFS's own dry run where it has one
    /// (<see cref="ZfsReplicationPlan.CanEstimateSize"/>); otherwise <see cref="ZfsSendSizeEstimate.Unknown"/>, and
    /// <see cref="ZfsSendSizeEstimate.FromSpaceUsage"/> gives a labelled fallback.
    /// </summary>
    /// <param name="request">What would be sent.</param>
    /// <param name="plan">The plan the stream would be sent with.</param>
    /// <param name="cancellationToken">Stops the command.</param>
    /// <returns>The estimate.</returns>
    public async Task<ZfsSendSizeEstimate> EstimateSendSizeAsync(
        ZfsSendRequest request, ZfsReplicationPlan plan, CancellationToken cancellationToken = default)
    {
        if (plan is null)
        {
            throw new ArgumentNullException(nameof(plan));
        }

        if (!plan.CanEstimateSize)
        {
            return ZfsSendSizeEstimate.Unknown;
        }

        var result = await RunAsync(ZfsSendCommand.Estimate(request, plan), cancellationToken).ConfigureAwait(false);
        return ZfsSendSizeEstimate.ParseDryRun(result.Text);
    }

    /// <summary>The resume token an interrupted resumable receive left on <paramref name="dataset"/>.</summary>
    /// <param name="dataset">The receive's target.</param>
    /// <param name="cancellationToken">Stops the command.</param>
    /// <returns>The token, or <see langword="null"/> when there is none or this host's zfs has no resumable receives.</returns>
    public async Task<ZfsResumeToken?> GetResumeTokenAsync(DatasetName dataset, CancellationToken cancellationToken = default)
    {
        if (dataset is null)
        {
            throw new ArgumentNullException(nameof(dataset));
        }

        if (!(await GetCapabilitiesAsync(cancellationToken).ConfigureAwait(false)).HasResumeTokenProperty)
        {
            return null;
        }

        var result = await RunAsync(
            RemoteCommand.Create("zfs", "get", "-H", "-p", "-o", "value", "receive_resume_token", dataset.Value),
            cancellationToken).ConfigureAwait(false);
        var text = result.Text.Trim();
        return text.Length == 0 || text == "-"
            ? null
            : ZfsResumeToken.TryParse(text, out var token)
                ? token
                : throw new FormatException($"The receive_resume_token of {dataset.Value} is {SafeText.Show(text)}, which is not a resume token.");
    }

    /// <summary>Discards the state an interrupted resumable receive left on <paramref name="dataset"/>.</summary>
    /// <param name="dataset">The receive's target.</param>
    /// <param name="cancellationToken">Stops the command.</param>
    /// <returns>True when state was discarded; false when there was none or this host's zfs cannot resume receives.</returns>
    public async Task<bool> AbortResumableReceiveAsync(DatasetName dataset, CancellationToken cancellationToken = default)
    {
        if (dataset is null)
        {
            throw new ArgumentNullException(nameof(dataset));
        }

        if (!(await GetCapabilitiesAsync(cancellationToken).ConfigureAwait(false)).CanAbortResumableReceive)
        {
            return false;
        }

        var result = await Connection.ExecuteAsync(ZfsReceiveCommand.Abort(dataset), cancellationToken).ConfigureAwait(false);
        return Changed(result, ZfsFailure.NoResumableState);
    }

    /// <summary>
    /// Settles a copy right after a receive, in one command: <paramref name="root"/> made read-only (or writable, when
    /// <paramref name="writable"/>), the filesystems in
    /// <paramref name="remount"/> unmounted (children first) and mounted again, and the GUIDs of the received
    /// <paramref name="snapshots"/> read.
    /// </summary>
    /// <param name="root">The copy's root.</param>
    /// <param name="writable">Leave the copy writable, for the workload that takes it over; read-only otherwise.</param>
    /// <param name="remount">Mounted filesystems of the copy to remount, parents first; empty for none.</param>
    /// <param name="snapshots">The snapshots just received.</param>
    /// <param name="cancellationToken">Stops the command.</param>
    /// <returns>Each of <paramref name="snapshots"/> that exists, with its GUID.</returns>
    /// <exception cref="ZfsCommandException">Setting readonly, an unmount or a mount failed.</exception>
    public async Task<IReadOnlyDictionary<SnapshotName, ulong>> SettleReceivedCopyAsync(
        DatasetName root, bool writable, IReadOnlyList<DatasetName> remount, IReadOnlyList<SnapshotName> snapshots, CancellationToken cancellationToken = default) =>
        ParseGuids(await Connection.ExecuteAsync(ZfsReceivedCopyCommand.Create(root, writable, remount ?? Array.Empty<DatasetName>(), snapshots), cancellationToken)
            .ConfigureAwait(false));
}
