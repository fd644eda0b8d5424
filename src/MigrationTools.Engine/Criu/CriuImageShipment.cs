using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using MigrationTools.Engine.Remote;
using MigrationTools.Engine.Transfer;

namespace MigrationTools.Engine.Criu;

/// <summary>
/// Moves a checkpoint's images from the source host to the target as one tar stream, over either transfer path.
/// The target extracts into a temporary directory beside the destination and renames it into place only when the
/// stream arrived whole, so a failed or cancelled transfer never leaves images that look complete.
/// </summary>
/// <remarks>
/// The source lists the images first and a marker file last; tar writes members in order, so the marker exists on
/// the target only if everything before it arrived. That matters because a cancelled command that reads standard
/// input may see end-of-file before it is killed, and tar ends quietly at an end-of-file between two members.
/// </remarks>
internal static class CriuImageShipment
{
    /// <summary>
    /// $1 image directory. Writes the images, then the marker, as a tar stream. The dump's own log and statistics stay
    /// behind: only the source reads them, and a post-copy dump still writes them while its images ship.
    /// </summary>
    internal const string SendScript = """
        cd -- "$1" || exit 1
        : > .mt-complete || exit 1
        set -- *
        [ -e "$1" ] || { echo "there are no images in $PWD" >&2; exit 1; }
        exec tar -cf - --exclude=dump.log --exclude=stats-dump -- "$@" .mt-complete
        """;

    /// <summary>
    /// $1 destination directory, which must exist: a page server's, holding the pages it received. Extracts the stream
    /// beside it and moves the images in when whole. After pre-copy, the page server linked the previous round's images
    /// as <c>parent</c> itself; the dump's own link (the same) is left out, since mv cannot put it over one to a directory.
    /// </summary>
    internal const string ReceiveBesidePagesScript = """
        umask 077
        [ -d "$1" ] || { echo "$1 does not exist; the page server that received the pages made it" >&2; exit 1; }
        t=$(mktemp -d "$1.incoming.XXXXXX") || exit 1
        if tar -C "$t" -xf - && [ -e "$t/.mt-complete" ] && rm -f -- "$t/.mt-complete" &&
            { [ ! -L "$1/parent" ] || rm -f -- "$t/parent"; }; then
            set -- "$1" "$t"/*
            d=$1; shift
            if [ -e "$1" ] && mv -f -- "$@" "$d"/ && rmdir -- "$t"; then exit 0; fi
        fi
        rm -rf -- "$t"
        echo "the images did not arrive whole; nothing was put in place" >&2
        exit 1
        """;

    /// <summary>$1 destination directory, $2 its parent. Extracts the stream beside it and renames it into place when whole.</summary>
    internal const string ReceiveScript = """
        umask 077
        mkdir -p -- "$2" || exit 1
        t=$(mktemp -d "$1.incoming.XXXXXX") || exit 1
        if tar -C "$t" -xf - && [ -e "$t/.mt-complete" ] && rm -f -- "$t/.mt-complete" && rm -rf -- "$1" && mv -- "$t" "$1"; then exit 0; fi
        rm -rf -- "$t"
        echo "the images did not arrive whole; nothing was put in place" >&2
        exit 1
        """;

    private static readonly string[] SudoPrefix = { "sudo", "-n", "--" };

    /// <summary>Ships images through the controller (source ssh, then target ssh); needs no trust between the hosts.</summary>
    /// <param name="source">The host the images are on.</param>
    /// <param name="from">The images there.</param>
    /// <param name="target">The host to put them on.</param>
    /// <param name="to">Where to put them there; replaced when it exists, unless <paramref name="besidePages"/>.</param>
    /// <param name="meter">Counts the bytes and reports progress.</param>
    /// <param name="limit">The most bytes per second, or <see langword="null"/>.</param>
    /// <param name="besidePages">
    /// True for a streamed dump's images (all but the pages): they join the pages the target's page server put in
    /// <paramref name="to"/> (<see cref="CriuHost.StartPageServerAsync"/>), which must exist, and the pages stay.
    /// </param>
    /// <param name="cancellationToken">Ends both commands.</param>
    /// <returns>The bytes moved and the time taken.</returns>
    /// <exception cref="TransferFailedException">Either side failed; the message quotes both.</exception>
    public static Task<TransferResult> RelayAsync(
        SshConnection source,
        CriuImageDirectory from,
        SshConnection target,
        CriuImageDirectory to,
        ProgressMeter meter,
        BandwidthLimit? limit = null,
        bool besidePages = false,
        CancellationToken cancellationToken = default) =>
        RelayTransfer.RunAsync(source, SendCommand(from), target, ReceiveCommand(to, sudo: false, besidePages), meter, limit, cancellationToken);

    /// <summary>
    /// Ships images straight from the source to the target over ssh from the source; the data never crosses the
    /// controller. The source must be able to log in to the target (key and known host).
    /// </summary>
    /// <param name="source">The host the images are on.</param>
    /// <param name="from">The images there.</param>
    /// <param name="peer">The target as the source reaches it.</param>
    /// <param name="to">Where to put them on the target; replaced when it exists, unless <paramref name="besidePages"/>.</param>
    /// <param name="meter">Counts the bytes and reports progress.</param>
    /// <param name="peerNeedsSudo">True when the source logs in to the target as a user that needs <c>sudo -n</c>.</param>
    /// <param name="limit">The most bytes per second, or <see langword="null"/>.</param>
    /// <param name="besidePages">True for a streamed dump's images, which join the page server's pages (see <see cref="RelayAsync"/>).</param>
    /// <param name="peerHelper">The target's host helper, when the source logs in to it as a user that elevates through it.</param>
    /// <param name="cancellationToken">Ends the pipeline.</param>
    /// <returns>The bytes moved and the time taken.</returns>
    /// <exception cref="TransferFailedException">Either side failed; the message quotes both.</exception>
    internal static Task<TransferResult> DirectAsync(
        SshConnection source,
        CriuImageDirectory from,
        SshDestination peer,
        CriuImageDirectory to,
        ProgressMeter meter,
        bool peerNeedsSudo = false,
        BandwidthLimit? limit = null,
        bool besidePages = false,
        string? peerHelper = null,
        CancellationToken cancellationToken = default)
    {
        if (source is null)
        {
            throw new ArgumentNullException(nameof(source));
        }

        // The send runs inside the source's pipeline script, out of reach of its connection's own elevation.
        var send = source.HostHelper is { } sourceHelper ? HostElevation.Elevate(SendCommand(from), sourceHelper) : SendCommand(from);
        var receive = peerHelper is not null
            ? HostElevation.Elevate(ReceiveCommand(to, sudo: false, besidePages), peerHelper)
            : ReceiveCommand(to, peerNeedsSudo, besidePages);
        return DirectTransfer.RunAsync(source, send, peer, receive, meter, limit, cancellationToken);
    }

    /// <summary>The sending command.</summary>
    internal static RemoteCommand SendCommand(CriuImageDirectory from) =>
        RemoteCommand.Create("sh", "-c", SendScript, "sh", (from ?? throw new ArgumentNullException(nameof(from))).Path);

    /// <summary>The receiving command: replacing the directory, or joining a page server's pages in it.</summary>
    internal static RemoteCommand ReceiveCommand(CriuImageDirectory to, bool sudo, bool besidePages = false)
    {
        if (to is null)
        {
            throw new ArgumentNullException(nameof(to));
        }

        var argv = new List<string>();
        if (sudo)
        {
            argv.AddRange(SudoPrefix);
        }

        argv.AddRange(besidePages
            ? new[] { "sh", "-c", ReceiveBesidePagesScript, "sh", to.Path }
            : new[] { "sh", "-c", ReceiveScript, "sh", to.Path, to.Parent });
        return RemoteCommand.Create(argv);
    }
}
