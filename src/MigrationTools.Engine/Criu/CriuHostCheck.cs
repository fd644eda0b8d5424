using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using MigrationTools.Engine.Preflight;
using MigrationTools.Engine.Remote;

namespace MigrationTools.Engine.Criu;

/// <summary>What one host's CRIU can do, found without changing anything, with one preflight check per finding.</summary>
/// <param name="Host">The host.</param>
/// <param name="Version">The CRIU version, or <see langword="null"/> when CRIU is missing or unrecognised.</param>
/// <param name="Kernel">The kernel release, or <see langword="null"/> when unrecognised.</param>
/// <param name="CheckPassed">True when <c>criu check</c> succeeded.</param>
/// <param name="CanPreDump">
/// True when <c>criu check --feature mem_dirty_track</c> succeeded: memory can be pre-copied while the workload
/// runs. When false, the final dump copies all memory while the workload is frozen.
/// </param>
/// <param name="Checks">
/// One check per finding: <c>CriuVersion</c>, <c>CriuCheck</c>, then the informational <c>CriuPreDump</c> and <c>CriuPostCopy</c>.
/// </param>
internal sealed record CriuHostCheck(
    string Host, CriuVersion? Version, KernelRelease? Kernel, bool CheckPassed, bool CanPreDump, IReadOnlyList<PreflightCheck> Checks)
{
    /// <summary>
    /// The pipe size CRIU's page server asks for its tee pipe (PIPE_MAX_SIZE pages); without CAP_SYS_RESOURCE the
    /// kernel grants it only up to fs.pipe-max-size, and a smaller pipe breaks the page transfer.
    /// </summary>
    public const long PageServerPipeBytes = 4 * 1024 * 1024;

    private const int CapSysResource = 24;

    private static readonly char[] Space = { ' ' };

    /// <summary>
    /// True when the host can take part in post-copy (lazy pages): its kernel has non-cooperative userfaultfd
    /// (<c>criu check --feature uffd-noncoop</c>), and CRIU's page server can get its 4 MiB pipe.
    /// </summary>
    public bool CanPostCopy => PostCopyBlock is null;

    /// <summary>Why the host cannot take part in post-copy, naming the host and the fix; <see langword="null"/> when it can.</summary>
    public string? PostCopyBlock { get; init; }

    /// <summary>Why the host cannot pre-copy, naming the host; <see langword="null"/> when it can (<see cref="CanPreDump"/>).</summary>
    public string? PreCopyBlock => CanPreDump
        ? null
        : Version is null
            ? $"{Host} has no usable CRIU."
            : $"{Host}'s kernel does not track dirty memory (criu check --feature mem_dirty_track failed).";

    /// <summary>True when every check passed: the host can checkpoint and restore.</summary>
    public bool Passed => Checks.All(c => c.Passed);

    /// <summary>Reads the output of <see cref="CriuScripts.Check"/>.</summary>
    internal static CriuHostCheck Parse(string host, string output)
    {
        KernelRelease? kernel = null;
        CriuVersion? version = null;
        var missing = false;
        (int Status, string Text)? check = null;
        (int Status, string Text)? preDump = null;
        (int Status, string Text)? postCopy = null;
        long? pipeMax = null;
        ulong? capabilities = null;
        var versionText = "";
        foreach (var line in output.Split('\n'))
        {
            var words = line.TrimEnd('\r').Split(Space, 3);
            switch (words[0])
            {
                case "kernel" when words.Length >= 2:
                    try
                    {
                        kernel = KernelRelease.Parse(line.Substring("kernel ".Length));
                    }
                    catch (FormatException)
                    {
                        kernel = null;
                    }

                    break;
                case "missing":
                    missing = true;
                    break;
                case "version" when words.Length >= 2:
                    versionText = words.Length == 3 ? CriuScripts.Decode(words[2]) : "";
                    version = CriuVersion.TryParse(versionText, out var parsed) ? parsed : null;
                    break;
                case "check" when words.Length >= 2:
                    check = (Status(words[1]), words.Length == 3 ? CriuScripts.Decode(words[2]) : "");
                    break;
                case "predump" when words.Length >= 2:
                    preDump = (Status(words[1]), words.Length == 3 ? CriuScripts.Decode(words[2]) : "");
                    break;
                case "postcopy" when words.Length >= 2:
                    postCopy = (Status(words[1]), words.Length == 3 ? CriuScripts.Decode(words[2]) : "");
                    break;
                case "pipemax" when words.Length >= 2:
                    pipeMax = long.TryParse(words[1], NumberStyles.None, CultureInfo.InvariantCulture, out var size) ? size : null;
                    break;
                case "capeff" when words.Length >= 2:
                    capabilities = ulong.TryParse(words[1], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var mask) ? mask : null;
                    break;
            }
        }

        var checks = new List<PreflightCheck>();
        var kernelText = kernel is null ? "an unrecognised kernel" : "kernel " + kernel.Text;
        if (missing)
        {
            checks.Add(PreflightCheck.Fail("CriuVersion", $"CRIU is not installed ({kernelText}); install CRIU 4.2 or later.", host));
        }
        else if (version is null)
        {
            checks.Add(PreflightCheck.Fail("CriuVersion",
                $"criu --version printed no version ({kernelText}): {RemoteException.Excerpt(versionText, 300)}", host));
        }
        else if (kernel is not null && kernel.RefusesPassCredOnInetSockets && !version.IsAtLeast(CriuVersion.TcpOnNewKernels))
        {
            checks.Add(PreflightCheck.Fail("CriuVersion",
                $"CRIU {version} cannot dump a process holding a TCP socket on kernel {kernel.Text} (6.16 and later refuse SO_PASSCRED on " +
                $"non-Unix sockets); install CRIU {CriuVersion.TcpOnNewKernels} or later.", host));
        }
        else
        {
            checks.Add(PreflightCheck.Pass("CriuVersion", $"CRIU {version} on {kernelText}.", host));
        }

        var checkPassed = check is { Status: 0 };
        if (!missing)
        {
            checks.Add(checkPassed
                ? PreflightCheck.Pass("CriuCheck", "criu check: " + FirstLine(check!.Value.Text, "looks good"), host)
                : PreflightCheck.Fail("CriuCheck",
                    $"criu check failed{(check is { } c ? $" with exit status {c.Status}: {RemoteException.Excerpt(c.Text, 600)}" : "")}; " +
                    "the kernel lacks something CRIU needs, or CRIU lacks privileges (it needs root or CAP_CHECKPOINT_RESTORE).", host));
        }

        var canPreDump = preDump is { Status: 0 };
        if (!missing)
        {
            // Informational: without dirty-page tracking the engine does one final dump, so this never fails a preflight;
            // only a switch's source must track (a destination only receives the rounds).
            checks.Add(PreflightCheck.Pass("CriuPreDump", canPreDump
                ? "Memory can be pre-copied from this host while the workload runs (mem_dirty_track is available)."
                : "No pre-copy from this host: the kernel does not track dirty pages (mem_dirty_track is unavailable), so a switch " +
                  "from here freezes the workload while all its memory is dumped, unless post-copy applies; as a destination it can take pre-copy rounds.", host));
        }

        var postCopyBlock = PostCopyBlockFor(host, missing, postCopy, pipeMax, capabilities);
        if (!missing)
        {
            // Informational too: without lazy pages the engine pre-copies or streams all memory while the tree is frozen.
            var pipe = capabilities is { } c && HasCapSysResource(c) ? "root has CAP_SYS_RESOURCE" : $"fs.pipe-max-size is {pipeMax}";
            checks.Add(PreflightCheck.Pass("CriuPostCopy", postCopyBlock is null
                ? $"Post-copy is possible: the kernel has userfaultfd for lazy pages, and CRIU's page server gets its pipe ({pipe})."
                : "No post-copy: " + postCopyBlock, host));
        }

        return new CriuHostCheck(host, version, kernel, checkPassed, canPreDump, checks) { PostCopyBlock = postCopyBlock };
    }

    private static string? PostCopyBlockFor(string host, bool missing, (int Status, string Text)? postCopy, long? pipeMax, ulong? capabilities)
    {
        if (missing)
        {
            return $"{host} has no CRIU.";
        }

        if (postCopy is not { } check)
        {
            return $"{host}'s support for lazy pages could not be checked (its check printed no uffd-noncoop line).";
        }

        if (check.Status != 0)
        {
            var said = RemoteException.Excerpt(check.Text.Trim(), 300);
            return $"{host}'s kernel has no userfaultfd for lazy pages (criu check --feature uffd-noncoop failed{(said.Length > 0 ? ": " + said : "")}).";
        }

        if (capabilities is { } mask && HasCapSysResource(mask))
        {
            return null;
        }

        var why = capabilities is null ? "its root may lack CAP_SYS_RESOURCE (the capabilities could not be read)" : "its root lacks CAP_SYS_RESOURCE";
        if (pipeMax is not { } size)
        {
            return $"{host} may not serve lazy pages: {why} and fs.pipe-max-size could not be read; CRIU's page server needs " +
                   $"{PageServerPipeBytes} bytes, so check it with sysctl fs.pipe-max-size and raise it with sysctl fs.pipe-max-size={PageServerPipeBytes}.";
        }

        return size >= PageServerPipeBytes
            ? null
            : $"{host} cannot serve lazy pages: {why} and fs.pipe-max-size is {size}, below the {PageServerPipeBytes} bytes CRIU's page " +
              $"server needs; raise it with sysctl fs.pipe-max-size={PageServerPipeBytes}.";
    }

    private static bool HasCapSysResource(ulong mask) => (mask & (1UL << CapSysResource)) != 0;

    private static int Status(string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var status) ? status : -1;

    private static string FirstLine(string text, string fallback)
    {
        var line = (text ?? "").Trim().Split('\n')[0].Trim();
        return line.Length == 0 ? fallback : line;
    }
}
