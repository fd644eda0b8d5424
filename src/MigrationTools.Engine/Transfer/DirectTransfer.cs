using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using MigrationTools.Engine.Remote;

namespace MigrationTools.Engine.Transfer;

/// <summary>
/// Streams one command's output on the source host straight into ssh to the target host; the controller
/// only starts it and reads progress. The source needs a key the target accepts and the target's host key
/// in its known_hosts: host keys are checked on this hop too.
/// </summary>
/// <remarks>
/// On the source, <c>sh</c> runs <c>send | dd | ssh target receive</c>. <c>dd</c> counts the bytes: the
/// sending process cannot always be asked (zfs-fuse's daemon, not the <c>zfs</c> command, writes the stream),
/// and measured here the extra copy costs less than the run-to-run noise. Each side's exit status is
/// reported on a line of its own, since a POSIX shell pipeline only returns its last command's status.
/// </remarks>
internal static class DirectTransfer
{
    // $1: the sending command line; $2: the ssh command line to the target. Both come from ShellQuote, so
    // eval parses each back into exactly the words the engine built, as sh -c on a remote host would.
    // dd's progress lines end in CR, not LF, so each marker starts on a line of its own.
    internal const string Script =
        "exec 3>&1\n" +
        "{ eval \"$1\"; printf '\\nmt-send-exit %s\\n' \"$?\" >&3; } |\n" +
        "    LC_ALL=C dd bs=1M status=progress 2>&3 |\n" +
        "    { eval \"$2\"; printf '\\nmt-receive-exit %s\\n' \"$?\" >&3; } >&2\n";

    private const string PreferredCipher = SshOptions.DefaultBulkCipher;

    private static readonly Regex BytesCopied = new(@"^(\d+) bytes", RegexOptions.CultureInvariant);
    private static readonly Regex ExitMarker = new(@"^mt-(send|receive)-exit (\d+)$", RegexOptions.CultureInvariant);

    /// <summary>Runs <paramref name="send"/> on <paramref name="source"/>, piped by ssh into <paramref name="receive"/> on <paramref name="peer"/>.</summary>
    /// <param name="source">The sending host, as the controller reaches it.</param>
    /// <param name="send">The command that writes the stream to its standard output.</param>
    /// <param name="peer">The receiving host as the source reaches it (its own ssh_config applies).</param>
    /// <param name="receive">The command that reads the stream on the target, including <c>sudo -n</c> when the target needs it.</param>
    /// <param name="meter">Counts the bytes and reports progress (about once a second).</param>
    /// <param name="limit">The most bytes per second, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Ends the whole pipeline on the source, and with it the ssh to the target.</param>
    /// <returns>The bytes moved and the time taken.</returns>
    /// <exception cref="TransferFailedException">The sending or receiving side failed; the message quotes what they printed.</exception>
    /// <exception cref="RemoteException">The controller's connection to the source failed.</exception>
    /// <exception cref="InvalidOperationException">A limit was asked for and the source has no pv to apply it.</exception>
    public static async Task<TransferResult> RunAsync(
        SshConnection source,
        RemoteCommand send,
        SshDestination peer,
        RemoteCommand receive,
        ProgressMeter meter,
        BandwidthLimit? limit = null,
        CancellationToken cancellationToken = default)
    {
        if (source is null)
        {
            throw new ArgumentNullException(nameof(source));
        }

        if (send is null)
        {
            throw new ArgumentNullException(nameof(send));
        }

        if (peer is null)
        {
            throw new ArgumentNullException(nameof(peer));
        }

        if (receive is null)
        {
            throw new ArgumentNullException(nameof(receive));
        }

        if (meter is null)
        {
            throw new ArgumentNullException(nameof(meter));
        }

        var (preferCipher, hasPv) = await ProbeSourceAsync(source, peer, cancellationToken).ConfigureAwait(false);
        if (limit is not null && !hasPv)
        {
            throw new InvalidOperationException(
                $"A bandwidth limit on a direct transfer is applied on the source, which needs pv: install pv on " +
                $"{source.Destination}, or use the relay path, which applies the limit on the controller.");
        }

        var command = BuildCommand(send, peer, receive, preferCipher, limit);

        var clock = Stopwatch.StartNew();
        using var pipeline = await source.StartSourceAsync(command, cancellationToken).ConfigureAwait(false);
        var report = new PipelineReport();
        await ReadReportAsync(pipeline.Output, report, meter, cancellationToken).ConfigureAwait(false);
        var result = await pipeline.FinishAsync(cancellationToken).ConfigureAwait(false);

        var sendFailure = report.SendExit == 0 ? null
            : $"{send.CommandLine} {(report.SendExit is { } s ? $"exited with status {s}" : "did not finish")}";
        var receiveFailure = report.ReceiveExit == 0 ? null
            : $"ssh {peer} {receive.CommandLine} {(report.ReceiveExit is { } r ? $"exited with status {r}" : "did not finish")}";
        if (sendFailure is not null || receiveFailure is not null || !result.Succeeded)
        {
            // Both sides' standard error arrives mixed on the source's; quote it with whichever side failed.
            var said = string.IsNullOrWhiteSpace(result.StandardError) ? "" : ": " + RemoteException.Excerpt(result.StandardError);
            throw new TransferFailedException(
                source.Destination.ToString(),
                peer.ToString(),
                sendFailure is null ? null : sendFailure + (receiveFailure is null ? said : ""),
                receiveFailure is null ? (result.Succeeded ? null : $"the pipeline exited with status {result.ExitCode}{said}") : receiveFailure + said);
        }

        meter.Set(report.Bytes);
        var final = meter.Complete();
        return new TransferResult(final.Bytes, clock.Elapsed, TransferPath.Direct);
    }

    /// <summary>The command the source runs: the pipeline script with both command lines as its arguments.</summary>
    internal static RemoteCommand BuildCommand(RemoteCommand send, SshDestination peer, RemoteCommand receive, bool preferCipher, BandwidthLimit? limit)
    {
        var ssh = PeerSshArguments(peer, preferCipher ? new[] { "-o", "Ciphers=^" + PreferredCipher } : Array.Empty<string>());
        ssh.Add(receive.CommandLine);

        var sendLine = send.CommandLine;
        if (limit is not null)
        {
            // The source paces itself; the controller sees none of the bytes to pace.
            sendLine += " | " + ShellQuote.Join(new[] { "pv", "-q", "-L", limit.BytesPerSecond.ToString(CultureInfo.InvariantCulture) });
        }

        return RemoteCommand.Create("sh", "-c", Script, "sh", sendLine, ShellQuote.Join(ssh));
    }

    /// <summary>
    /// The ssh argument list with which the source reaches <paramref name="peer"/>, up to the destination: never
    /// weaker than the controller's own hop (no prompts, host keys always checked, no terminal or escapes).
    /// </summary>
    /// <param name="peer">The target as the source names it.</param>
    /// <param name="options">More ssh options, placed before the destination.</param>
    /// <returns>The arguments, program first; the caller appends the remote command.</returns>
    internal static List<string> PeerSshArguments(SshDestination peer, IEnumerable<string> options)
    {
        var ssh = new List<string> { "ssh", "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=yes", "-T", "-e", "none" };
        ssh.AddRange(options);
        if (peer.Port is { } port)
        {
            ssh.Add("-p");
            ssh.Add(port.ToString(CultureInfo.InvariantCulture));
        }

        if (peer.User is { } user)
        {
            ssh.Add("-l");
            ssh.Add(user);
        }

        ssh.Add("--");
        ssh.Add(peer.Host);
        return ssh;
    }

    /// <summary>What the source host offers this transfer: whether its ssh_config leaves the cipher to us, and pv for pacing.</summary>
    private static async Task<(bool PreferCipher, bool HasPv)> ProbeSourceAsync(SshConnection source, SshDestination peer, CancellationToken cancellationToken)
    {
        const string probe =
            "own=$(ssh -G -- \"$1\" 2>/dev/null | grep '^ciphers ')\n" +
            "builtin=$(ssh -G -F /dev/null -- \"$1\" 2>/dev/null | grep '^ciphers ')\n" +
            "if [ -n \"$own\" ] && [ \"$own\" = \"$builtin\" ] && ssh -G -F /dev/null -o \"Ciphers=^$2\" -- \"$1\" >/dev/null 2>&1; then echo cipher; fi\n" +
            "if command -v pv >/dev/null 2>&1; then echo pv; fi\n";
        var result = await source.RunAsync(RemoteCommand.Create("sh", "-c", probe, "sh", peer.Host, PreferredCipher), cancellationToken)
            .ConfigureAwait(false);
        var words = result.Text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        return (Array.IndexOf(words, "cipher") >= 0, Array.IndexOf(words, "pv") >= 0);
    }

    /// <summary>Reads the pipeline's report lines: dd's byte counts (ended by CR or LF) and the exit markers.</summary>
    private static async Task ReadReportAsync(Stream output, PipelineReport report, ProgressMeter meter, CancellationToken cancellationToken)
    {
        var buffer = new byte[4096];
        var line = new StringBuilder();
        int read;
        while ((read = await output.ReadAsync(buffer, 0, buffer.Length, cancellationToken).ConfigureAwait(false)) > 0)
        {
            for (var i = 0; i < read; i++)
            {
                var c = (char)buffer[i];
                if (c is '\r' or '\n')
                {
                    if (report.Accept(line.ToString()) && report.Bytes > 0)
                    {
                        meter.Set(report.Bytes);
                    }

                    line.Clear();
                }
                else if (line.Length < 1024)
                {
                    line.Append(c);
                }
            }
        }

        report.Accept(line.ToString());
    }

    /// <summary>What the pipeline said about itself.</summary>
    internal sealed class PipelineReport
    {
        /// <summary>Bytes through dd, from its latest line.</summary>
        public long Bytes { get; private set; }

        /// <summary>The sending command's exit status, once it ended.</summary>
        public int? SendExit { get; private set; }

        /// <summary>The receiving ssh's exit status, once it ended.</summary>
        public int? ReceiveExit { get; private set; }

        /// <summary>Takes one line; true when it carried a byte count.</summary>
        public bool Accept(string line)
        {
            line = line.Trim();
            var marker = ExitMarker.Match(line);
            if (marker.Success)
            {
                var status = int.Parse(marker.Groups[2].Value, CultureInfo.InvariantCulture);
                if (marker.Groups[1].Value == "send")
                {
                    SendExit = status;
                }
                else
                {
                    ReceiveExit = status;
                }

                return false;
            }

            var count = BytesCopied.Match(line);
            if (count.Success && long.TryParse(count.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var bytes))
            {
                Bytes = bytes;
                return true;
            }

            return false;
        }
    }
}
