using System;
using System.Diagnostics;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using MigrationTools.Engine.Remote;

namespace MigrationTools.Engine.Transfer;

/// <summary>
/// Streams one command's output on the source host into another command's input on the target host,
/// through the controller: source ssh → <see cref="StreamPump"/> → target ssh. Memory use is two chunks,
/// whatever the stream's size.
/// </summary>
public static class RelayTransfer
{
    /// <summary>Runs <paramref name="send"/> on <paramref name="source"/> into <paramref name="receive"/> on <paramref name="target"/>.</summary>
    /// <param name="source">The sending host.</param>
    /// <param name="send">The command that writes the stream to its standard output.</param>
    /// <param name="target">The receiving host.</param>
    /// <param name="receive">The command that reads the stream from its standard input.</param>
    /// <param name="meter">Counts the bytes and reports progress.</param>
    /// <param name="limit">The most bytes per second, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Ends both commands, locally and on the hosts.</param>
    /// <returns>The bytes moved and the time taken.</returns>
    /// <exception cref="TransferFailedException">Either command failed; the message quotes both ends.</exception>
    /// <exception cref="RemoteException">A connection failed (a subclass says how).</exception>
    public static async Task<TransferResult> RunAsync(
        SshConnection source,
        RemoteCommand send,
        SshConnection target,
        RemoteCommand receive,
        ProgressMeter meter,
        BandwidthLimit? limit = null,
        CancellationToken cancellationToken = default)
    {
        if (source is null)
        {
            throw new ArgumentNullException(nameof(source));
        }

        if (target is null)
        {
            throw new ArgumentNullException(nameof(target));
        }

        if (meter is null)
        {
            throw new ArgumentNullException(nameof(meter));
        }

        var clock = Stopwatch.StartNew();
        // The receiver first: a receive that refuses at once (dataset exists, pool full) stops the sender early.
        using var sink = await target.StartSinkAsync(receive, cancellationToken).ConfigureAwait(false);
        using var sender = await source.StartSourceAsync(send, cancellationToken).ConfigureAwait(false);

        var receiverStopped = false;
        try
        {
            await StreamPump.CopyAsync(sender.Output, sink.Input, meter, limit, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (IOException)
        {
            // The receiver stopped reading; its exit status and standard error say why.
            receiverStopped = true;
        }

        RemoteResult? sent = null;
        if (receiverStopped)
        {
            sender.Dispose();
        }
        else
        {
            sent = await sender.FinishAsync(cancellationToken).ConfigureAwait(false);
        }

        var received = await sink.FinishAsync(cancellationToken).ConfigureAwait(false);
        var sendFailure = sent is { Succeeded: false } ? Describe(sent) : null;
        var receiveFailure = received.Succeeded ? null : Describe(received);
        if (sendFailure is not null || receiveFailure is not null || receiverStopped)
        {
            throw new TransferFailedException(
                source.Destination.ToString(),
                target.Destination.ToString(),
                sendFailure,
                receiveFailure ?? (receiverStopped ? "stopped reading the stream before its end" : null));
        }

        var final = meter.Complete();
        return new TransferResult(final.Bytes, clock.Elapsed, TransferPath.Relay);
    }

    internal static string Describe(RemoteResult result) =>
        $"{result.Command} exited with status {result.ExitCode}" +
        (string.IsNullOrWhiteSpace(result.StandardError) ? "" : ": " + RemoteException.Excerpt(result.StandardError));
}
