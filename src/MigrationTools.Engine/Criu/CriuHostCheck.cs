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
/// <param name="Checks">One check per finding: <c>CriuVersion</c>, <c>CriuCheck</c>, <c>CriuPreDump</c> (informational).</param>
internal sealed record CriuHostCheck(
    string Host, CriuVersion? Version, KernelRelease? Kernel, bool CheckPassed, bool CanPreDump, IReadOnlyList<PreflightCheck> Checks)
{
    private static readonly char[] Space = { ' ' };

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
            // Informational: without dirty-page tracking the engine does one final dump, so this never fails a preflight.
            checks.Add(PreflightCheck.Pass("CriuPreDump", canPreDump
                ? "Memory can be pre-copied while the workload runs (mem_dirty_track is available)."
                : "No pre-copy: the kernel does not track dirty pages (mem_dirty_track is unavailable), so the workload is frozen " +
                  "while all its memory is dumped and shipped.", host));
        }

        return new CriuHostCheck(host, version, kernel, checkPassed, canPreDump, checks);
    }

    private static int Status(string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var status) ? status : -1;

    private static string FirstLine(string text, string fallback)
    {
        var line = (text ?? "").Trim().Split('\n')[0].Trim();
        return line.Length == 0 ? fallback : line;
    }
}
