using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using MigrationTools.Engine.Remote;

namespace MigrationTools.Engine.Zfs;

/// <summary>
/// ZFS on one host, driven through its <see cref="SshConnection"/>: capabilities, listings, snapshots, holds,
/// user properties, what surrounds a stream, and cleanup. Every command is built from validated names and values as an
/// argument list; the streams' own command lines come from <see cref="ZfsSendCommand"/> and <see cref="ZfsReceiveCommand"/>.
/// Safe for concurrent use.
/// </summary>
/// <remarks>
/// Operations that may be repeated by a re-run step are idempotent where ZFS allows it: they report whether
/// they changed anything instead of failing when the work is already done. A failing <c>zfs</c> command
/// throws <see cref="ZfsCommandException"/>, whose <see cref="ZfsCommandException.Failure"/> says what kind of
/// failure it was.
/// </remarks>
public sealed partial class ZfsHost
{
    // zfs-fuse reports "dataset is busy" for a moment after a filesystem was last used.
    private static readonly TimeSpan[] BusyRetryDelays =
    {
        TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2),
    };

    private ZfsCapabilities? _capabilities;

    /// <summary>Creates a driver over <paramref name="connection"/>, which it uses but does not own.</summary>
    /// <param name="connection">The host's connection.</param>
    public ZfsHost(SshConnection connection) =>
        Connection = connection ?? throw new ArgumentNullException(nameof(connection));

    /// <summary>The connection commands run through.</summary>
    public SshConnection Connection { get; }

    /// <summary>
    /// What this host's <c>zfs</c> can do, detected on first use from its usage texts and then cached.
    /// </summary>
    /// <param name="cancellationToken">Stops the detection.</param>
    /// <returns>The capabilities.</returns>
    /// <exception cref="ZfsCommandException"><c>zfs</c> is missing or unrecognised (<see cref="ZfsFailure.Unavailable"/>).</exception>
    public async Task<ZfsCapabilities> GetCapabilitiesAsync(CancellationToken cancellationToken = default)
    {
        if (Volatile.Read(ref _capabilities) is { } known)
        {
            return known;
        }

        // Both print their usage on standard error and exit with status 2 by design.
        var usage = await Connection.ExecuteAsync(RemoteCommand.Create("zfs"), cancellationToken).ConfigureAwait(false);
        if (ZfsCommandException.Classify(usage.ExitCode, usage.StandardError) == ZfsFailure.Unavailable)
        {
            throw new ZfsCommandException(ZfsFailure.Unavailable, usage.Host, usage.Command, usage.ExitCode, usage.StandardError);
        }

        var properties = await Connection.ExecuteAsync(RemoteCommand.Create("zfs", "get"), cancellationToken).ConfigureAwait(false);
        ZfsCapabilities capabilities;
        try
        {
            capabilities = ZfsCapabilities.Parse(usage.StandardError + usage.Text, properties.StandardError + properties.Text);
        }
        catch (FormatException e)
        {
            throw new ZfsCommandException(
                $"The zfs on {usage.Host} is not one the engine recognises: {e.Message}", e);
        }

        // Detection is idempotent, so two racing callers may both detect; either result is the same.
        Volatile.Write(ref _capabilities, capabilities);
        return capabilities;
    }

    /// <summary>Plans streams from this host to <paramref name="target"/> (see <see cref="ZfsReplicationPlanner"/>).</summary>
    /// <param name="target">The receiving host.</param>
    /// <param name="cancellationToken">Stops the detection of either host's capabilities.</param>
    /// <returns>The plan.</returns>
    public async Task<ZfsReplicationPlan> PlanTransferToAsync(ZfsHost target, CancellationToken cancellationToken = default)
    {
        if (target is null)
        {
            throw new ArgumentNullException(nameof(target));
        }

        var source = await GetCapabilitiesAsync(cancellationToken).ConfigureAwait(false);
        return ZfsReplicationPlanner.Plan(source, await target.GetCapabilitiesAsync(cancellationToken).ConfigureAwait(false));
    }

    /// <summary>A short description: the host.</summary>
    /// <returns>The description.</returns>
    public override string ToString() => "zfs on " + Connection.Destination;

    private static RemoteCommand Zfs(string subcommand, string? option, params string[] arguments)
    {
        var argv = new List<string> { "zfs", subcommand };
        if (option is not null)
        {
            argv.Add(option);
        }

        argv.AddRange(arguments);
        return RemoteCommand.Create(argv);
    }

    // True on success, false when the command failed only because its work was already done
    // (or, for a question, because the answer is no).
    private static bool Changed(RemoteResult result, ZfsFailure alreadyDone)
    {
        if (result.Succeeded)
        {
            return true;
        }

        var failure = ZfsCommandException.From(result);
        return failure.Failure == alreadyDone ? false : throw failure;
    }

    private async Task<RemoteResult> RunAsync(RemoteCommand command, CancellationToken cancellationToken)
    {
        var result = await Connection.ExecuteAsync(command, cancellationToken).ConfigureAwait(false);
        return result.Succeeded ? result : throw ZfsCommandException.From(result);
    }

    private async Task<RemoteResult> ExecuteRetryingBusyAsync(RemoteCommand command, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            var result = await Connection.ExecuteAsync(command, cancellationToken).ConfigureAwait(false);
            if (result.Succeeded
                || attempt == BusyRetryDelays.Length
                || ZfsCommandException.Classify(result.ExitCode, result.StandardError) != ZfsFailure.Busy)
            {
                return result;
            }

            await Task.Delay(BusyRetryDelays[attempt], cancellationToken).ConfigureAwait(false);
        }
    }
}
