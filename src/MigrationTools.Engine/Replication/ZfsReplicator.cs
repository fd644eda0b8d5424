using System;
using System.Threading;
using System.Threading.Tasks;
using MigrationTools.Engine.Preflight;
using MigrationTools.Engine.Remote;
using MigrationTools.Engine.Transfer;
using MigrationTools.Engine.Zfs;

namespace MigrationTools.Engine.Replication;

/// <summary>
/// Keeps a copy of a dataset tree on a target host in step with its source, one round at a time: the first
/// round sends it whole, later rounds send only what changed since the newest snapshot both sides share
/// (found by GUID). Each round takes a migration snapshot, holds it on both sides so nothing prunes it,
/// and releases the previous one. The copy is kept read-only so it cannot diverge, unless the request hands it over
/// (<see cref="ReplicationRequest.LeaveCopyWritable"/>).
/// </summary>
/// <remarks>
/// A round interrupted mid-stream leaves the target as it was (legacy ZFS) or with a resume token (modern
/// ZFS); the next round continues from the token or from the newest common snapshot. A target that has
/// diverged or holds unrelated data is refused, never destroyed or rolled back, unless the request forces it.
/// </remarks>
public sealed class ZfsReplicator
{
    private readonly ReplicationRoundPlanner _planner;
    private readonly ReplicationRoundSender _sender;

    /// <summary>Creates a replicator between two hosts.</summary>
    /// <param name="source">The host the data comes from.</param>
    /// <param name="target">The host the copy lives on.</param>
    public ZfsReplicator(ZfsHost source, ZfsHost target)
    {
        Source = source ?? throw new ArgumentNullException(nameof(source));
        Target = target ?? throw new ArgumentNullException(nameof(target));
        Tools = new ReplicationTools(source, target);
        var streamer = new ReplicationStreamer(source, target);
        _planner = new ReplicationRoundPlanner(source, target, Tools, streamer);
        _sender = new ReplicationRoundSender(source, target, streamer);
    }

    /// <summary>The host the data comes from.</summary>
    public ZfsHost Source { get; }

    /// <summary>The host the copy lives on.</summary>
    public ZfsHost Target { get; }

    /// <summary>The helper programs the two hosts have.</summary>
    internal ReplicationTools Tools { get; }

    /// <summary>Checks, without changing anything, whether <paramref name="request"/> can run.</summary>
    /// <param name="request">The replication.</param>
    /// <param name="cancellationToken">Stops the checks.</param>
    /// <returns>The report; <see cref="PreflightReport.Passed"/> when nothing is in the way.</returns>
    public Task<PreflightReport> PreflightAsync(ReplicationRequest request, CancellationToken cancellationToken = default) =>
        ReplicationPreflight.RunAsync(this, request, cancellationToken);

    /// <summary>
    /// Runs one round: snapshot the source, send it (whole or incrementally) to the target, verify, hold.
    /// Repeat it to keep the copy in step; each round sends only what changed since the previous one.
    /// </summary>
    /// <param name="request">The replication.</param>
    /// <param name="progress">Receives the stream's progress; may be <see langword="null"/>.</param>
    /// <param name="cancellationToken">Stops the round, ending every command it started on both hosts.</param>
    /// <returns>What was sent.</returns>
    /// <exception cref="ReplicationRefusedException">The target has diverged or holds unrelated data, or an option is unavailable; nothing was changed.</exception>
    /// <exception cref="TransferFailedException">The stream did not arrive; the next round continues from where the target is.</exception>
    /// <exception cref="RemoteException">A host could not be reached or a command failed.</exception>
    public async Task<ReplicationResult> ReplicateAsync(
        ReplicationRequest request, IProgress<TransferProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var round = await PlanRoundAsync(request, cancellationToken).ConfigureAwait(false);
        var result = await SendRoundAsync(round, progress, cancellationToken).ConfigureAwait(false);
        await HoldRoundAsync(round, cancellationToken).ConfigureAwait(false);
        return result;
    }

    /// <summary>
    /// Plans the next round without sending it: finishes a stream an earlier round left half-received, lists both
    /// trees, finds the newest common snapshot, chooses the streams and the new snapshot's name. Changes nothing else,
    /// unless the request forces a diverged target back into step.
    /// </summary>
    /// <param name="request">The replication.</param>
    /// <param name="cancellationToken">Stops the planning.</param>
    /// <returns>The round, for <see cref="SendRoundAsync"/>.</returns>
    /// <exception cref="ReplicationRefusedException">The target has diverged or holds unrelated data, or an option is unavailable; nothing was changed.</exception>
    /// <exception cref="RemoteException">A host could not be reached or a command failed.</exception>
    internal async Task<ReplicationRound> PlanRoundAsync(ReplicationRequest request, CancellationToken cancellationToken = default)
    {
        if (request is null)
        {
            throw new ArgumentNullException(nameof(request));
        }

        return await _planner.PlanAsync(request, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Sends a planned round: the snapshot, the streams, then one check per host (the target's copy read-only or handed
    /// over writable, remounted
    /// where the host needs it, and its new snapshots' GUIDs the source's). Holds stay on the previous snapshot until
    /// <see cref="HoldRoundAsync"/>, which can wait until the time-critical work is done.
    /// </summary>
    /// <param name="round">The round, from <see cref="PlanRoundAsync"/>; send it once.</param>
    /// <param name="progress">
    /// Receives the stream's progress; may be <see langword="null"/>. When given, and the stream's size can be known
    /// beforehand, the snapshot is taken and the stream sized before it is sent; otherwise the snapshot and the send
    /// are one command.
    /// </param>
    /// <param name="cancellationToken">Stops the round, ending every command it started on both hosts.</param>
    /// <returns>What was sent.</returns>
    /// <exception cref="TransferFailedException">The stream did not arrive, or the copy's GUIDs are not the source's.</exception>
    /// <exception cref="RemoteException">A host could not be reached or a command failed.</exception>
    internal async Task<ReplicationResult> SendRoundAsync(
        ReplicationRound round, IProgress<TransferProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        if (round is null)
        {
            throw new ArgumentNullException(nameof(round));
        }

        return await _sender.SendAsync(round, progress, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Moves the migration's hold on both hosts from the snapshot the round started from to the one it sent, so that
    /// nothing prunes the snapshot the next round starts from. Repeating it is harmless.
    /// </summary>
    /// <param name="round">A round that was sent.</param>
    /// <param name="cancellationToken">Stops the commands.</param>
    /// <returns>A task that completes when both hosts hold the new snapshot.</returns>
    internal Task HoldRoundAsync(ReplicationRound round, CancellationToken cancellationToken = default)
    {
        if (round is null)
        {
            throw new ArgumentNullException(nameof(round));
        }

        return ReplicationHolds.HoldRoundAsync(Source, Target, round, cancellationToken);
    }

    /// <summary>
    /// Ends the replication's hold on both hosts and, when asked, destroys its snapshots there; what the
    /// migration no longer needs once it is complete or abandoned. Repeating it is harmless.
    /// </summary>
    /// <param name="request">The replication.</param>
    /// <param name="destroySnapshots">Also destroy the migration's snapshots on both hosts.</param>
    /// <param name="cancellationToken">Stops the commands.</param>
    /// <returns>A task that completes when both hosts are clean.</returns>
    public async Task ReleaseAsync(ReplicationRequest request, bool destroySnapshots, CancellationToken cancellationToken = default)
    {
        if (request is null)
        {
            throw new ArgumentNullException(nameof(request));
        }

        await ReplicationHolds.ReleaseAsync(Source, Target, request, destroySnapshots, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The newest state of <paramref name="dataset"/> on <paramref name="host"/>, or <see langword="null"/> when it does not exist.</summary>
    internal static async Task<ZfsDataset?> ListRootAsync(ZfsHost host, DatasetName dataset, bool recursive, CancellationToken cancellationToken) =>
        (await host.ListAsync(dataset, recursive, cancellationToken).ConfigureAwait(false)).Find(dataset);
}
