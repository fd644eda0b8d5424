using System;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using MigrationTools.Engine.Remote;
using MigrationTools.Engine.Transfer;
using MigrationTools.Engine.Zfs;

namespace MigrationTools.Engine.Replication;

/// <summary>
/// Moves one stream of a replication from the source's <c>zfs send</c> to the target's <c>zfs receive</c>, compressed
/// when asked, on the request's path (relayed through the controller, or direct between the hosts); after a failed
/// stream, waits until the cut-off receive has ended.
/// </summary>
internal sealed class ReplicationStreamer
{
    private static readonly TimeSpan ReceiveEndTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan ReceivePollInterval = TimeSpan.FromMilliseconds(200);

    private readonly ZfsHost _source;
    private readonly ZfsHost _target;

    public ReplicationStreamer(ZfsHost source, ZfsHost target) => (_source, _target) = (source, target);

    public async Task TransferAsync(
        ReplicationRequest request,
        RemoteCommand send,
        RemoteCommand receive,
        StreamCompression compression,
        ProgressMeter meter,
        CancellationToken cancellationToken)
    {
        if (compression != StreamCompression.None)
        {
            var tool = ReplicationTools.ToolOf(compression);
            send = send.Pipe(RemoteCommand.Create(tool, "-1", "-q", "-c"));
            receive = RemoteCommand.Create(tool, "-d", "-q", "-c").Pipe(receive);
        }

        try
        {
            await TransferOnPathAsync(request, send, receive, meter, cancellationToken).ConfigureAwait(false);
        }
        catch (RemoteException)
        {
            // The receiving zfs may still be reading what reached it; the next round must not see its half-made dataset.
            await WaitForReceivesToEndAsync(request.Target, cancellationToken).ConfigureAwait(false);
            throw;
        }
    }

    private async Task<TransferResult> TransferOnPathAsync(
        ReplicationRequest request, RemoteCommand send, RemoteCommand receive, ProgressMeter meter, CancellationToken cancellationToken)
    {
        if (request.Path == TransferPath.Relay)
        {
            return await RelayTransfer.RunAsync(
                _source.Connection, send, _target.Connection, receive, meter, request.BandwidthLimit, cancellationToken).ConfigureAwait(false);
        }

        // The source's ssh logs in as the peer's user; zfs receive there needs root. The send runs inside the source's
        // pipeline script, out of reach of its connection's own elevation, so both are elevated here.
        await _source.Connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        await _target.Connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        if (_source.Connection.HostHelper is { } sourceHelper)
        {
            send = HostElevation.Elevate(send, sourceHelper);
        }

        if (_target.Connection.HostHelper is { } targetHelper)
        {
            receive = HostElevation.Elevate(receive, targetHelper);
        }
        else if (_target.Connection.UsesSudo)
        {
            receive = RemoteCommand.Create("sudo", "-n", "--", "sh", "-c", receive.CommandLine);
        }

        var peer = request.DirectPeer ?? _target.Connection.Destination;
        return await DirectTransfer.RunAsync(
            _source.Connection, send, peer, receive, meter, request.BandwidthLimit, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Waits (up to half a minute) until no <c>zfs receive</c> into <paramref name="dataset"/> or below runs on the
    /// target: one cut off from its stream ends by itself once it notices, and cleans up after itself.
    /// </summary>
    /// <exception cref="ReplicationRefusedException">One still runs after that; the message names it.</exception>
    private async Task WaitForReceivesToEndAsync(DatasetName dataset, CancellationToken cancellationToken)
    {
        var pattern = "^zfs (receive|recv) .*" + Regex.Escape(dataset.Value) + "(/.*)?$";
        var check = RemoteCommand.Create("pgrep", "-f", "--", pattern);
        for (var waited = TimeSpan.Zero; waited < ReceiveEndTimeout; waited += ReceivePollInterval)
        {
            if (!(await _target.Connection.ExecuteAsync(check, cancellationToken).ConfigureAwait(false)).Succeeded)
            {
                return;
            }

            await Task.Delay(ReceivePollInterval, cancellationToken).ConfigureAwait(false);
        }

        throw new ReplicationRefusedException(
            $"A zfs receive into {dataset} is still running on {_target.Connection.Destination} after {ReceiveEndTimeout.TotalSeconds:0} s; " +
            "wait for it to end (or end it there) before the next round.");
    }
}
