using System;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using MigrationTools.Engine.Remote;
using MigrationTools.Engine.Workloads;

namespace MigrationTools.Engine.Criu;

/// <summary>
/// CRIU on one host, driven through its <see cref="SshConnection"/>: what it can do, checkpoints (dump), undoing
/// them (resume), restores, and the logs that explain failures. Failures throw <see cref="CriuException"/> with the
/// log's telling lines. Safe for concurrent use on different image directories.
/// </summary>
/// <remarks>
/// The steps are separate so that the caller decides when the source tree ends. A tree left stopped by a dump still
/// holds its listening sockets; where source and target share an address (one network namespace, or a service
/// address that moves), the restore fails with "Address already in use" until the source tree is killed
/// (<see cref="WorkloadRuntime.KillAsync"/>). After that, undo is a restore of the same images on the source.
/// </remarks>
internal sealed class CriuHost
{
    private static readonly string[] Unsupported = { "not supported", "unsupported", "Unknown command", "not implemented" };

    /// <summary>Creates a driver over <paramref name="connection"/>, which it uses but does not own.</summary>
    /// <param name="connection">The host's connection.</param>
    public CriuHost(SshConnection connection) =>
        Connection = connection ?? throw new ArgumentNullException(nameof(connection));

    /// <summary>The connection commands run through.</summary>
    public SshConnection Connection { get; }

    private string Host => Connection.Destination.ToString();

    /// <summary>
    /// Learns what the host's CRIU can do, in one command: <c>uname -r</c>, <c>criu --version</c>, <c>criu check</c>
    /// and <c>criu check --feature mem_dirty_track</c>.
    /// </summary>
    /// <param name="cancellationToken">Stops the command.</param>
    /// <returns>The findings, with a preflight check for each.</returns>
    internal async Task<CriuHostCheck> CheckAsync(CancellationToken cancellationToken = default)
    {
        var result = await Connection.RunAsync(RemoteCommand.Create("sh", "-c", CriuScripts.Check, "sh"), cancellationToken).ConfigureAwait(false);
        return CriuHostCheck.Parse(Host, result.Text);
    }

    /// <summary>
    /// Compares the target's CPU with this host's: <c>criu cpuinfo dump</c> here, <c>criu cpuinfo check</c> there.
    /// Where CRIU cannot compare CPUs, the result says so and does not fail.
    /// </summary>
    /// <param name="target">The host the tree would be restored on.</param>
    /// <param name="cancellationToken">Stops the commands.</param>
    /// <returns>The comparison.</returns>
    internal async Task<CpuCompatibility> CheckCpuCompatibilityAsync(CriuHost target, CancellationToken cancellationToken = default)
    {
        if (target is null)
        {
            throw new ArgumentNullException(nameof(target));
        }

        var dump = await Connection.RunAsync(RemoteCommand.Create("sh", "-c", CriuScripts.CpuInfoDump, "sh"), cancellationToken).ConfigureAwait(false);
        var words = dump.Text.Trim().Split(' ');
        if (words.Length < 2 || words[0] != "image")
        {
            var said = words.Length >= 3 ? CriuScripts.Decode(words[2]) : dump.Text;
            return new CpuCompatibility(Host, target.Host, false, true,
                $"Not verified: criu cpuinfo dump on {Host} failed{(IsUnsupported(said) ? " (not supported here)" : "")}: {RemoteException.Excerpt(said, 300)}");
        }

        var check = await target.Connection.ExecuteAsync(
            RemoteCommand.Create("sh", "-c", CriuScripts.CpuInfoCheck, "sh", words[1]), cancellationToken).ConfigureAwait(false);
        var output = RemoteException.Excerpt(check.Text + "\n" + check.StandardError, 600);
        if (check.Succeeded)
        {
            return new CpuCompatibility(Host, target.Host, true, true, $"The CPU of {target.Host} runs what {Host}'s CPU runs (criu cpuinfo check passed).");
        }

        return IsUnsupported(output)
            ? new CpuCompatibility(Host, target.Host, false, true, $"Not verified: criu cpuinfo check is not supported on {target.Host}: {output}")
            : new CpuCompatibility(Host, target.Host, true, false,
                $"The CPU of {target.Host} lacks features of {Host}'s that a checkpoint may use; restore there may fail or misbehave: {output}");
    }

    /// <summary>
    /// Checkpoints a process tree: checks the root's start time, recreates the image directory (0700), runs
    /// <c>criu dump</c>, and archives the carried files with the images. With <see cref="CriuDumpRequest.LeaveStopped"/>
    /// the tree stays frozen here (undo with <see cref="ResumeAsync"/>); otherwise CRIU ends it.
    /// </summary>
    /// <param name="request">What to dump.</param>
    /// <param name="cancellationToken">Stops the command (CRIU then resumes or ends the tree as it would on failure).</param>
    /// <returns>The checkpoint.</returns>
    /// <exception cref="CriuException">The dump failed; the message quotes <c>dump.log</c>.</exception>
    public async Task<CriuDump> DumpAsync(CriuDumpRequest request, CancellationToken cancellationToken = default)
    {
        var command = CriuCommands.ScriptedDump(request);
        var clock = Stopwatch.StartNew();
        var result = await Connection.ExecuteAsync(command, cancellationToken).ConfigureAwait(false);
        clock.Stop();
        if (!result.Succeeded)
        {
            throw await FailureAsync(CriuOperation.Dump, result, request.Images.DumpLog, cancellationToken).ConfigureAwait(false);
        }

        var size = result.Text.Trim().Split('\t', ' ')[0];
        return new CriuDump(
            Host, request.Process, request.Images, request.LeaveStopped, request.Options,
            long.TryParse(size, NumberStyles.None, CultureInfo.InvariantCulture, out var bytes) ? bytes : -1,
            clock.Elapsed);
    }

    /// <summary>
    /// Starts a page server on this host (the destination) for a streamed dump: recreates <paramref name="images"/>
    /// (0700), starts <c>criu page-server</c> there detached, and returns once it listens. Pass the result as
    /// <see cref="CriuDumpRequest.PageServer"/> to the source's dump; the server writes the pages into
    /// <paramref name="images"/> and ends by itself when the dump disconnects (<see cref="WaitForPageServerAsync"/>).
    /// </summary>
    /// <param name="images">Where the pages go on this host; ship the other images into it beside them.</param>
    /// <param name="listenAddress">This host's address as the source reaches it (<c>HostLink</c>).</param>
    /// <param name="cancellationToken">Stops waiting (the server may then be running; it ends when a dump disconnects).</param>
    /// <returns>Where it listens.</returns>
    /// <exception cref="CriuException">It did not start; the message quotes <c>page-server.log</c>.</exception>
    public Task<CriuPageServer> StartPageServerAsync(CriuImageDirectory images, IPAddress listenAddress, CancellationToken cancellationToken = default) =>
        StartChainedPageServerAsync(images, listenAddress, null, cancellationToken);

    /// <summary>
    /// <see cref="StartPageServerAsync"/> for a pre-copy round or the
    /// dump after it: the server links <paramref name="previousImages"/> (relative to <paramref name="images"/>, as the
    /// sender names them) as the parent, so that only dirtied pages are sent and the restore follows the chain.
    /// </summary>
    /// <param name="images">Where the pages go on this host.</param>
    /// <param name="listenAddress">This host's address as the source reaches it.</param>
    /// <param name="previousImages">The previous round's images, such as <c>../web-1.pre-1</c>; <see langword="null"/> for none.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>Where it listens.</returns>
    /// <exception cref="CriuException">It did not start; the message quotes <c>page-server.log</c>.</exception>
    public async Task<CriuPageServer> StartChainedPageServerAsync(
        CriuImageDirectory images, IPAddress listenAddress, string? previousImages, CancellationToken cancellationToken = default)
    {
        var result = await Connection.ExecuteAsync(CriuCommands.StartPageServer(images, listenAddress, previousImages), cancellationToken).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            throw await DetachedFailureAsync(CriuOperation.PageServer, result, images.PageServerLog, cancellationToken).ConfigureAwait(false);
        }

        var words = result.Text.Trim().Split(' ');
        return new CriuPageServer(listenAddress, ParsePort(CriuOperation.PageServer, result, words));
    }

    /// <summary>
    /// Waits up to <paramref name="limit"/> for the page server started in <paramref name="images"/> to end: it does once
    /// the streamed dump that sent it the pages disconnects.
    /// </summary>
    /// <param name="images">Its image directory on this host.</param>
    /// <param name="limit">The longest wait; zero reads the state without waiting.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>How it stands.</returns>
    public Task<CriuTransferOutcome> WaitForPageServerAsync(CriuImageDirectory images, TimeSpan limit, CancellationToken cancellationToken = default) =>
        OutcomeAsync(images, CriuDetachedScripts.PageServer, images?.PageServerLog ?? "", limit, cancellationToken);

    /// <summary>
    /// Starts a post-copy dump on this host (the source): checks the root's start time, recreates the image directory
    /// (0700), starts <c>criu dump --lazy-pages</c> detached, and returns once the non-memory images are written and
    /// the tree's pages are served on <paramref name="listenAddress"/>, after archiving the carried files. The tree is
    /// frozen from here on; the dump returns when a lazy-pages daemon has pulled every page
    /// (<see cref="WaitForLazyDumpAsync"/>), then leaves the tree stopped (<see cref="CriuDumpRequest.LeaveStopped"/>)
    /// or ends it. When the transfer breaks first, CRIU lets the tree run on here.
    /// </summary>
    /// <param name="request">What to dump; <see cref="CriuDumpRequest.PageServer"/> must be null.</param>
    /// <param name="listenAddress">This host's address as the destination reaches it (<c>HostLink</c>).</param>
    /// <param name="cancellationToken">Stops waiting (the dump may then be serving pages; it stays recorded in the directory).</param>
    /// <returns>The dump that serves the pages.</returns>
    /// <exception cref="CriuException">The dump failed before it served the pages; the message quotes <c>dump.log</c>.</exception>
    public async Task<CriuLazyDump> StartLazyDumpAsync(CriuDumpRequest request, IPAddress listenAddress, CancellationToken cancellationToken = default)
    {
        var command = CriuCommands.StartLazyDump(request, listenAddress);
        var clock = Stopwatch.StartNew();
        var result = await Connection.ExecuteAsync(command, cancellationToken).ConfigureAwait(false);
        clock.Stop();
        if (!result.Succeeded)
        {
            throw await DetachedFailureAsync(CriuOperation.Dump, result, request.Images.DumpLog, cancellationToken).ConfigureAwait(false);
        }

        var words = result.Text.Trim().Split(' ');
        var port = ParsePort(CriuOperation.Dump, result, words);
        return new CriuLazyDump(
            Host, request.Process, request.Images, new CriuPageServer(listenAddress, port),
            words.Length >= 3 && long.TryParse(words[2], NumberStyles.None, CultureInfo.InvariantCulture, out var bytes) ? bytes : -1,
            clock.Elapsed)
        {
            Options = request.Options,
            LeavesStopped = request.LeaveStopped,
        };
    }

    /// <summary>
    /// Waits up to <paramref name="limit"/> for the post-copy dump started in <paramref name="images"/> to end:
    /// <see cref="CriuTransferState.Finished"/> once every page was pulled (the tree then stopped or ended, as asked),
    /// <see cref="CriuTransferState.Failed"/> when the transfer broke (CRIU then lets the tree run on here).
    /// </summary>
    /// <param name="images">Its image directory on this host.</param>
    /// <param name="limit">The longest wait; zero reads the state without waiting.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>How it stands.</returns>
    public Task<CriuTransferOutcome> WaitForLazyDumpAsync(CriuImageDirectory images, TimeSpan limit, CancellationToken cancellationToken = default) =>
        OutcomeAsync(images, CriuDetachedScripts.LazyDump, images?.DumpLog ?? "", limit, cancellationToken);

    /// <summary>
    /// Ends the post-copy dump of <paramref name="images"/> if it still serves pages (SIGTERM, SIGKILL after 2.5 s),
    /// found by its recorded PID and start time: to abandon a post-copy before the destination has restored.
    /// </summary>
    /// <param name="images">Its image directory on this host.</param>
    /// <param name="cancellationToken">Stops the command.</param>
    /// <returns>True when it ran and was ended.</returns>
    /// <exception cref="CriuException">It would not end.</exception>
    public Task<bool> StopLazyDumpAsync(CriuImageDirectory images, CancellationToken cancellationToken = default) =>
        StopDetachedAsync(images, CriuDetachedScripts.LazyDump, CriuOperation.Dump, cancellationToken);

    /// <summary>
    /// Restores a tree on this host (the destination) from a post-copy dump's non-memory images: starts
    /// <c>criu lazy-pages</c> detached, pulling from <paramref name="source"/>, waits until it is ready, then runs the
    /// restore with <c>--lazy-pages</c> as <see cref="RestoreAsync"/> does (carried files, record file). The tree runs
    /// at once; its pages arrive on demand and in the background (<see cref="WaitForLazyPagesAsync"/>).
    /// </summary>
    /// <param name="request">What to restore; the images must be on this host.</param>
    /// <param name="source">Where the source's lazy dump serves the pages (<see cref="CriuLazyDump.Endpoint"/>).</param>
    /// <param name="cancellationToken">Stops the commands.</param>
    /// <returns>The restored tree.</returns>
    /// <exception cref="CriuException">The daemon or the restore failed; the message quotes its log. A daemon that started is ended.</exception>
    public async Task<CriuRestore> RestoreLazilyAsync(CriuRestoreRequest request, CriuPageServer source, CancellationToken cancellationToken = default)
    {
        if (request is null)
        {
            throw new ArgumentNullException(nameof(request));
        }

        var clock = Stopwatch.StartNew();
        var daemon = await Connection.ExecuteAsync(CriuCommands.StartLazyPages(request.Images, source), cancellationToken).ConfigureAwait(false);
        if (!daemon.Succeeded)
        {
            throw await DetachedFailureAsync(CriuOperation.LazyPages, daemon, request.Images.LazyPagesLog, cancellationToken).ConfigureAwait(false);
        }

        var result = await Connection.ExecuteAsync(CriuCommands.ScriptedLazyRestore(request), cancellationToken).ConfigureAwait(false);
        clock.Stop();
        if (!result.Succeeded)
        {
            var failure = await FailureAsync(CriuOperation.Restore, result, request.Images.RestoreLog, cancellationToken).ConfigureAwait(false);
            await StopLazyPagesAsync(request.Images, CancellationToken.None).ConfigureAwait(false);
            throw failure;
        }

        var process = WorkloadProcess.TryParse(result.Text)
            ?? throw new CriuException(Host, CriuOperation.Restore, result.Command, 0,
                $"The restore printed {SafeText.Show(result.Text.Trim())} instead of the restored root's PID and start time.", "");
        return new CriuRestore(Host, process, request.Images, clock.Elapsed);
    }

    /// <summary>
    /// Waits up to <paramref name="limit"/> for the lazy-pages daemon of <paramref name="images"/> to end: it does
    /// once every page has arrived (<see cref="CriuTransferState.Finished"/>), or when the source stopped serving.
    /// </summary>
    /// <param name="images">Its image directory on this host.</param>
    /// <param name="limit">The longest wait; zero reads the state without waiting.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>How it stands.</returns>
    public Task<CriuTransferOutcome> WaitForLazyPagesAsync(CriuImageDirectory images, TimeSpan limit, CancellationToken cancellationToken = default) =>
        OutcomeAsync(images, CriuDetachedScripts.LazyPages, images?.LazyPagesLog ?? "", limit, cancellationToken);

    /// <summary>
    /// Ends the lazy-pages daemon of <paramref name="images"/> if it runs (SIGTERM, SIGKILL after 2.5 s), found by its
    /// recorded PID and start time. A restored tree still missing pages cannot run on without it.
    /// </summary>
    /// <param name="images">Its image directory on this host.</param>
    /// <param name="cancellationToken">Stops the command.</param>
    /// <returns>True when it ran and was ended.</returns>
    /// <exception cref="CriuException">It would not end.</exception>
    public Task<bool> StopLazyPagesAsync(CriuImageDirectory images, CancellationToken cancellationToken = default) =>
        StopDetachedAsync(images, CriuDetachedScripts.LazyPages, CriuOperation.LazyPages, cancellationToken);

    /// <summary>
    /// One round of pre-copy: checks the root's start time, recreates the round's image directory (0700), and runs
    /// <c>criu pre-dump --track-mem</c>, which freezes the tree only while it collects the memory. Needs a kernel that
    /// tracks dirty memory (<see cref="CriuHostCheck.CanPreDump"/>). With <see cref="CriuPreDumpRequest.PageServer"/>
    /// the pages go to the destination's page server (<see cref="StartPageServerAsync"/>).
    /// </summary>
    /// <param name="request">The round.</param>
    /// <param name="cancellationToken">Stops the command.</param>
    /// <returns>How many pages the round wrote (from its statistics); -1 when CRIU did not say.</returns>
    /// <exception cref="CriuException">The pre-dump failed; the message quotes <c>pre-dump.log</c>.</exception>
    public async Task<long> PreDumpAsync(CriuPreDumpRequest request, CancellationToken cancellationToken = default)
    {
        var result = await Connection.ExecuteAsync(CriuCommands.ScriptedPreDump(request), cancellationToken).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            throw await FailureAsync(CriuOperation.PreDump, result, request.Images.PreDumpLog, cancellationToken).ConfigureAwait(false);
        }

        return CriuDumpStatistics.Parse(result.Text).Written;
    }

    /// <summary>
    /// Ends the page server started in <paramref name="images"/> if it still runs (SIGTERM, SIGKILL after 2.5 s): one
    /// whose dump failed before it connected waits for ever.
    /// </summary>
    /// <param name="images">Its image directory on this host.</param>
    /// <param name="cancellationToken">Stops the command.</param>
    /// <returns>True when it ran and was ended.</returns>
    /// <exception cref="CriuException">It would not end.</exception>
    public Task<bool> StopPageServerAsync(CriuImageDirectory images, CancellationToken cancellationToken = default) =>
        StopDetachedAsync(images, CriuDetachedScripts.PageServer, CriuOperation.PageServer, cancellationToken);

    /// <summary>Removes the pre-copy rounds of <paramref name="images"/> (<see cref="CriuImageDirectory.PreCopyRound"/>), not the directory itself.</summary>
    /// <param name="images">The checkpoint's directory.</param>
    /// <param name="cancellationToken">Stops the command.</param>
    /// <returns>How many round directories were removed.</returns>
    public async Task<int> RemovePreCopyRoundsAsync(CriuImageDirectory images, CancellationToken cancellationToken = default)
    {
        var result = await Connection.RunAsync(CriuCommands.RemovePreCopyRounds(images), cancellationToken).ConfigureAwait(false);
        return int.TryParse(result.Text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var count) ? count : 0;
    }

    /// <summary>Reads the outcome <see cref="CriuDetachedScripts.Outcome"/> prints; <paramref name="log"/> is the operation's log excerpt for a failure.</summary>
    internal static CriuTransferOutcome ParseOutcome(string name, string output, string log)
    {
        var words = (output ?? "").Trim().Split(' ');
        var excerpt = string.IsNullOrWhiteSpace(log) ? "" : " From its log:\n" + log.TrimEnd();
        switch (words[0])
        {
            case "finished" when words.Length == 2 && words[1] == "0":
                return new CriuTransferOutcome(CriuTransferState.Finished, $"criu {name} finished.");
            case "finished" when words.Length == 2 && int.TryParse(words[1], NumberStyles.None, CultureInfo.InvariantCulture, out var status):
                return new CriuTransferOutcome(CriuTransferState.Failed, $"criu {name} ended with exit status {status}.{excerpt}");
            case "running":
                return new CriuTransferOutcome(CriuTransferState.Running, $"criu {name} still runs.");
            case "missing":
                return new CriuTransferOutcome(CriuTransferState.Missing, $"No criu {name} was started in that image directory.");
            case "vanished":
                return new CriuTransferOutcome(CriuTransferState.Failed, $"criu {name} is gone without recording an exit status (killed with its runner, or the host restarted).{excerpt}");
            default:
                return new CriuTransferOutcome(CriuTransferState.Failed, $"The state of criu {name} could not be read: {SafeText.Show(output?.Trim())}.");
        }
    }

    /// <summary>
    /// Undoes a dump that left the tree stopped: SIGCONT to every process of the tree, after checking the root's
    /// start time.
    /// </summary>
    /// <param name="process">The tree's root.</param>
    /// <param name="cancellationToken">Stops the command.</param>
    /// <returns>How many processes were continued.</returns>
    /// <exception cref="CriuException">The process no longer runs.</exception>
    public async Task<int> ResumeAsync(WorkloadProcess process, CancellationToken cancellationToken = default)
    {
        if (process is null)
        {
            throw new ArgumentNullException(nameof(process));
        }

        var result = await Connection.ExecuteAsync(
            RemoteCommand.Create(
                "sh", "-c", CriuScripts.Resume, "sh",
                process.Pid.ToString(CultureInfo.InvariantCulture), process.StartTime.ToString(CultureInfo.InvariantCulture)),
            cancellationToken).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            throw new CriuException(Host, CriuOperation.Resume, result.Command, result.ExitCode,
                $"The tree of process {process} could not be continued.", RemoteException.Excerpt(result.StandardError));
        }

        return int.TryParse(result.Text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var count) ? count : 0;
    }

    /// <summary>
    /// Removes the network lock that a dump with <c>--tcp-established</c> left on this host (the source) for the tree's
    /// established connections, once that tree is gone. Call it after the frozen tree was killed when the workload
    /// moved: while the lock holds, nothing the dying tree's sockets send reaches the clients, which now talk to the
    /// restored copy. A restore from the same images on this host (the rollback of such a dump) removes the lock itself.
    /// A tree resumed in place cannot keep these connections: CRIU leaves their sockets in repair mode.
    /// </summary>
    /// <param name="frozenRoot">The dumped root; it must no longer run (its start time tells a recycled PID apart).</param>
    /// <param name="images">The dump's image directory on this host, whose log names the rules.</param>
    /// <param name="cancellationToken">Stops the command.</param>
    /// <returns>How many rules and tables were removed; 0 when none was left or the images are gone.</returns>
    /// <exception cref="CriuException">The tree still runs, or the command failed.</exception>
    public async Task<int> ReleaseNetworkLockAsync(WorkloadProcess frozenRoot, CriuImageDirectory images, CancellationToken cancellationToken = default)
    {
        var result = await Connection.ExecuteAsync(CriuCommands.ReleaseNetworkLock(frozenRoot, images), cancellationToken).ConfigureAwait(false);
        var words = result.Text.Trim().Split(' ');
        if (!result.Succeeded)
        {
            throw new CriuException(Host, CriuOperation.ReleaseNetworkLock, result.Command, result.ExitCode,
                $"The network lock of the dump in {images.Path} could not be released.", RemoteException.Excerpt(result.StandardError));
        }

        return words.Length == 2 && words[0] == "released" && int.TryParse(words[1], NumberStyles.None, CultureInfo.InvariantCulture, out var count)
            ? count
            : 0;
    }

    /// <summary>
    /// Restores a tree from images on this host (<c>criu restore -d</c>), after putting the carried files back, and
    /// finds its root through <c>--pidfile</c>. Record the root with <see cref="CriuRestoreRequest.RecordFile"/> or
    /// <see cref="WorkloadRuntime.AdoptAsync"/>.
    /// </summary>
    /// <param name="request">What to restore.</param>
    /// <param name="cancellationToken">Stops the command.</param>
    /// <returns>The restored tree.</returns>
    /// <exception cref="CriuException">The restore failed; the message quotes <c>restore.log</c>.</exception>
    public async Task<CriuRestore> RestoreAsync(CriuRestoreRequest request, CancellationToken cancellationToken = default)
    {
        var command = CriuCommands.ScriptedRestore(request);
        var clock = Stopwatch.StartNew();
        var result = await Connection.ExecuteAsync(command, cancellationToken).ConfigureAwait(false);
        clock.Stop();
        if (!result.Succeeded)
        {
            throw await FailureAsync(CriuOperation.Restore, result, request.Images.RestoreLog, cancellationToken).ConfigureAwait(false);
        }

        var process = WorkloadProcess.TryParse(result.Text)
            ?? throw new CriuException(Host, CriuOperation.Restore, result.Command, 0,
                $"The restore printed {SafeText.Show(result.Text.Trim())} instead of the restored root's PID and start time.", "");
        return new CriuRestore(Host, process, request.Images, clock.Elapsed);
    }

    /// <summary>
    /// The process tree that a restore from <paramref name="images"/> left running on this host, if any; found after
    /// an interruption between the restore and the recording of its PID, so that it is adopted rather than duplicated.
    /// </summary>
    /// <param name="images">The image directory the restore used.</param>
    /// <param name="cancellationToken">Stops the command.</param>
    /// <returns>The restored root, or <see langword="null"/>.</returns>
    internal async Task<WorkloadProcess?> FindRestoredAsync(CriuImageDirectory images, CancellationToken cancellationToken = default)
    {
        var result = await Connection.RunAsync(
            RemoteCommand.Create("sh", "-c", CriuScripts.FindRestored, "sh", (images ?? throw new ArgumentNullException(nameof(images))).Path),
            cancellationToken).ConfigureAwait(false);
        return WorkloadProcess.TryParse(result.Text);
    }

    /// <summary>
    /// Waits until no <c>criu</c> <paramref name="operation"/> of <paramref name="images"/> runs on this host: one
    /// started by a controller that died goes on for a while, and must end before anyone inspects or repeats it.
    /// </summary>
    /// <param name="operation"><see cref="CriuOperation.Dump"/>, <see cref="CriuOperation.Restore"/>, or <see cref="CriuOperation.PreDump"/> (of the directory's pre-copy rounds).</param>
    /// <param name="images">The image directory it works on.</param>
    /// <param name="timeout">The longest wait.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>True when none runs; false when one still ran after <paramref name="timeout"/>.</returns>
    internal async Task<bool> WaitForOperationAsync(
        CriuOperation operation, CriuImageDirectory images, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var word = operation switch
        {
            CriuOperation.Dump => "dump",
            CriuOperation.Restore => "restore",
            CriuOperation.PreDump => "pre-dump",
            _ => throw new ArgumentOutOfRangeException(nameof(operation), operation, "Only dumps, pre-dumps and restores run for long."),
        };
        var result = await Connection.RunAsync(
            RemoteCommand.Create(
                "sh", "-c", CriuScripts.WaitForOperation, "sh", word, (images ?? throw new ArgumentNullException(nameof(images))).Path,
                ((int)Math.Ceiling(timeout.TotalSeconds)).ToString(CultureInfo.InvariantCulture)),
            cancellationToken).ConfigureAwait(false);
        return result.Text.Trim() != "running";
    }

    /// <summary>The end of CRIU's log of an operation.</summary>
    /// <param name="images">The image directory the log is in.</param>
    /// <param name="operation">A dump (post-copy too), pre-dump, restore, page server or lazy-pages daemon.</param>
    /// <param name="cancellationToken">Stops the command.</param>
    /// <returns>The last 64 KiB of the log; empty when there is none.</returns>
    public async Task<string> ReadLogAsync(CriuImageDirectory images, CriuOperation operation, CancellationToken cancellationToken = default)
    {
        if (images is null)
        {
            throw new ArgumentNullException(nameof(images));
        }

        var path = operation switch
        {
            CriuOperation.Dump => images.DumpLog,
            CriuOperation.Restore => images.RestoreLog,
            CriuOperation.PageServer => images.PageServerLog,
            CriuOperation.LazyPages => images.LazyPagesLog,
            CriuOperation.PreDump => images.PreDumpLog,
            _ => throw new ArgumentOutOfRangeException(nameof(operation), operation, "Only dumps, pre-dumps, restores, page servers and lazy-pages daemons keep a log."),
        };
        var result = await Connection.RunAsync(CriuCommands.LogTail(path), cancellationToken).ConfigureAwait(false);
        return result.Text;
    }

    /// <summary>Removes an image directory (and any unfinished incoming copy of it).</summary>
    /// <param name="images">The directory.</param>
    /// <param name="cancellationToken">Stops the command.</param>
    /// <returns>True when something was removed.</returns>
    public async Task<bool> RemoveImagesAsync(CriuImageDirectory images, CancellationToken cancellationToken = default)
    {
        if (images is null)
        {
            throw new ArgumentNullException(nameof(images));
        }

        var result = await Connection.RunAsync(RemoteCommand.Create("sh", "-c", CriuScripts.Remove, "sh", images.Path), cancellationToken).ConfigureAwait(false);
        return result.Text.Trim() == "removed";
    }

    /// <summary>A short description: the host.</summary>
    /// <returns>The description.</returns>
    public override string ToString() => "criu on " + Connection.Destination;

    private static bool IsUnsupported(string text) =>
        Unsupported.Any(u => text.IndexOf(u, StringComparison.OrdinalIgnoreCase) >= 0);

    private async Task<CriuTransferOutcome> OutcomeAsync(
        CriuImageDirectory images, string name, string logPath, TimeSpan limit, CancellationToken cancellationToken)
    {
        var result = await Connection.RunAsync(CriuCommands.DetachedOutcome(images, name, limit), cancellationToken).ConfigureAwait(false);
        var output = result.Text.Trim();
        var log = "";
        if (output.StartsWith("vanished", StringComparison.Ordinal) || (output.StartsWith("finished ", StringComparison.Ordinal) && output != "finished 0"))
        {
            log = await LogExcerptAsync(logPath, cancellationToken).ConfigureAwait(false);
        }

        return ParseOutcome(name, output, log);
    }

    private async Task<bool> StopDetachedAsync(CriuImageDirectory images, string name, CriuOperation operation, CancellationToken cancellationToken)
    {
        var result = await Connection.ExecuteAsync(CriuCommands.StopDetached(images, name), cancellationToken).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            throw new CriuException(Host, operation, result.Command, result.ExitCode,
                $"criu {name} of {images.Path} could not be ended.", RemoteException.Excerpt(result.StandardError));
        }

        return result.Text.Trim() == "stopped";
    }

    private int ParsePort(CriuOperation operation, RemoteResult result, string[] words) =>
        words.Length >= 2 && words[0] == "ready" && int.TryParse(words[1], NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is >= 1 and <= 65535
            ? port
            : throw new CriuException(Host, operation, result.Command, 0,
                $"The command printed {SafeText.Show(result.Text.Trim())} instead of the port it listens on.", "");

    /// <summary>A <see cref="CriuException"/> for a detached operation that did not become ready.</summary>
    private async Task<CriuException> DetachedFailureAsync(CriuOperation operation, RemoteResult result, string logPath, CancellationToken cancellationToken)
    {
        if (result.ExitCode == CriuScripts.PreconditionFailed)
        {
            return new CriuException(Host, operation, result.Command, result.ExitCode, RemoteException.Excerpt(result.StandardError, 600), "");
        }

        var log = await LogExcerptAsync(logPath, cancellationToken).ConfigureAwait(false);
        var said = RemoteException.Excerpt(result.StandardError, 600).Trim();
        return new CriuException(Host, operation, result.Command, result.ExitCode,
            $"{(said.Length == 0 ? "it did not start" : said)}; {logPath} is kept on the host. From its log:", log);
    }

    private async Task<string> LogExcerptAsync(string logPath, CancellationToken cancellationToken)
    {
        try
        {
            return CriuLog.Excerpt((await Connection.RunAsync(CriuCommands.LogTail(logPath), cancellationToken).ConfigureAwait(false)).Text);
        }
        catch (RemoteException e)
        {
            return $"(the log {logPath} could not be read: {e.Message})";
        }
    }

    /// <summary>A <see cref="CriuException"/> for a failed dump or restore, quoting CRIU's log (fetched) or the script's own message.</summary>
    private async Task<CriuException> FailureAsync(CriuOperation operation, RemoteResult result, string logPath, CancellationToken cancellationToken)
    {
        var verb = operation switch
        {
            CriuOperation.Dump => "dump",
            CriuOperation.PreDump => "pre-dump",
            _ => "restore",
        };
        if (result.ExitCode is CriuScripts.PreconditionFailed or CriuScripts.CarriedFilesFailed or CriuScripts.RestoredProcessMissing)
        {
            return new CriuException(Host, operation, result.Command, result.ExitCode,
                RemoteException.Excerpt(result.StandardError, 600), "");
        }

        string log;
        try
        {
            log = CriuLog.Excerpt((await Connection.RunAsync(CriuCommands.LogTail(logPath), cancellationToken).ConfigureAwait(false)).Text);
        }
        catch (RemoteException e)
        {
            log = $"(the log {logPath} could not be read: {e.Message})";
        }

        if (log.Length == 0)
        {
            log = RemoteException.Excerpt(result.StandardError);
        }

        return new CriuException(Host, operation, result.Command, result.ExitCode,
            $"criu {verb} failed; the images and {logPath} are kept on the host. From its log:", log);
    }
}
