using System.Diagnostics;
using System.Runtime.Versioning;

namespace MigrationTools.Cli.Demo;

/// <summary>
/// The programs the lab script needs on this machine, and the Debian packages that bring them, so that the demo runs
/// on a fresh Debian machine: what is missing is installed with apt-get, saying so first.
/// </summary>
internal static class LabPrerequisites
{
    /// <summary>Each program lab.sh checks for, with its Debian package.</summary>
    public static IReadOnlyList<(string Program, string Package)> Programs { get; } =
    [
        ("debootstrap", "debootstrap"),
        ("ssh", "openssh-client"),
        ("ssh-keygen", "openssh-client"),
        ("unshare", "util-linux"),
        ("nsenter", "util-linux"),
        ("setsid", "util-linux"),
        ("pivot_root", "util-linux"),
        ("flock", "util-linux"),
        ("mount", "mount"),
    ];

    /// <summary>The packages to install for the programs that are missing, each once, in the order of <see cref="Programs"/>.</summary>
    /// <param name="isOnPath">Whether a program can be found.</param>
    /// <returns>The packages; empty when nothing is missing.</returns>
    public static IReadOnlyList<string> MissingPackages(Func<string, bool> isOnPath)
    {
        ArgumentNullException.ThrowIfNull(isOnPath);
        return [.. Programs.Where(p => !isOnPath(p.Program)).Select(p => p.Package).Distinct(StringComparer.Ordinal)];
    }

    /// <summary>Whether <paramref name="program"/> is an executable file in a directory of <c>PATH</c>.</summary>
    /// <param name="program">The program's name.</param>
    /// <returns>True when found.</returns>
    [SupportedOSPlatform("linux")]
    public static bool IsOnPath(string program)
    {
        foreach (var directory in (Environment.GetEnvironmentVariable("PATH") ?? "/usr/sbin:/usr/bin:/sbin:/bin").Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            var path = Path.Combine(directory, program);
            if (File.Exists(path) && (File.GetUnixFileMode(path) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Installs <paramref name="packages"/> with apt-get; when that fails, refreshes the package lists (a fresh machine
    /// may have none) and tries once more.
    /// </summary>
    /// <param name="packages">The packages.</param>
    /// <param name="cancellationToken">Ends apt-get.</param>
    /// <exception cref="CommandRefusedException">apt-get is not there, or could not install them; the message says what to install.</exception>
    [SupportedOSPlatform("linux")]
    public static async Task InstallAsync(IReadOnlyList<string> packages, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(packages);
        var what = string.Join(' ', packages);
        if (!IsOnPath("apt-get"))
        {
            throw new CommandRefusedException($"The lab needs {what}, and this machine has no apt-get to install them with; install them, then run the demo again.");
        }

        string[] install = ["install", "-y", "-q", "--no-install-recommends", .. packages];
        var first = await AptGetAsync(install, cancellationToken).ConfigureAwait(false);
        if (first.ExitCode == 0)
        {
            return;
        }

        var update = await AptGetAsync(["update", "-q"], cancellationToken).ConfigureAwait(false);
        var second = update.ExitCode == 0 ? await AptGetAsync(install, cancellationToken).ConfigureAwait(false) : update;
        if (second.ExitCode != 0)
        {
            throw new CommandRefusedException(
                $"apt-get could not install {what} (exit status {second.ExitCode}); install them, then run the demo again:{Environment.NewLine}{second.Tail}");
        }
    }

    private static async Task<(int ExitCode, string Tail)> AptGetAsync(IEnumerable<string> arguments, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("apt-get")
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // Never a question: a demo that waits for a dpkg prompt nobody sees would look hung.
        start.Environment["DEBIAN_FRONTEND"] = "noninteractive";
        using var process = Process.Start(start) ?? throw new InvalidOperationException("apt-get did not start.");
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var error = process.StandardError.ReadToEndAsync(CancellationToken.None);
        try
        {
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: false);
            throw;
        }

        var text = (await output.ConfigureAwait(false)) + (await error.ConfigureAwait(false));
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        return (process.ExitCode, string.Join(Environment.NewLine, lines.TakeLast(10)));
    }
}
