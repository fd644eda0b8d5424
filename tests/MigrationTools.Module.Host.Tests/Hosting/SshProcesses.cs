using System.Globalization;

namespace MigrationTools.Module.Host.Tests.Hosting;

/// <summary>A process as /proc shows it.</summary>
public sealed record ProcessEntry(int Pid, int ParentPid, string Name, string CommandLine);

/// <summary>
/// The ssh processes a test left behind: children of this process (what the engine starts), and any process whose
/// command line names a marker of the test's own, such as its ssh_config path (a shared connection's master, which
/// detaches from its parent) or a ProxyCommand's argument.
/// </summary>
public static class SshProcesses
{
    /// <summary>The live ssh processes whose parent is this process and whose command line contains <paramref name="marker"/>.</summary>
    public static IReadOnlyList<ProcessEntry> ChildrenOfThisProcess(string marker) =>
        [.. All().Where(p => p.ParentPid == Environment.ProcessId && p.Name == "ssh" && p.CommandLine.Contains(marker, StringComparison.Ordinal))];

    /// <summary>The live processes whose command line contains <paramref name="marker"/>, other than this one.</summary>
    public static IReadOnlyList<ProcessEntry> Naming(string marker) =>
        [.. All().Where(p => p.Pid != Environment.ProcessId && p.CommandLine.Contains(marker, StringComparison.Ordinal))];

    /// <summary>Waits up to <paramref name="timeout"/> for <paramref name="find"/> to find nothing; returns what it still finds.</summary>
    public static async Task<IReadOnlyList<ProcessEntry>> WaitUntilGoneAsync(Func<IReadOnlyList<ProcessEntry>> find, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(find);
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var left = find();
            if (left.Count == 0 || DateTime.UtcNow >= deadline)
            {
                return left;
            }

            await Task.Delay(100).ConfigureAwait(false);
        }
    }

    private static IEnumerable<ProcessEntry> All()
    {
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            string stat, commandLine;
            try
            {
                stat = File.ReadAllText(Path.Combine(directory, "stat"));
                commandLine = File.ReadAllText(Path.Combine(directory, "cmdline")).Replace('\0', ' ').TrimEnd();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // The process ended while it was read.
                continue;
            }

            // "pid (name) state ppid ...": the name may hold spaces and parentheses, so it is cut at the last ')'.
            var open = stat.IndexOf('(', StringComparison.Ordinal);
            var close = stat.LastIndexOf(')');
            var fields = stat[(close + 2)..].Split(' ');

            // A zombie has ended; only its parent's wait is missing.
            if (fields[0] == "Z")
            {
                continue;
            }

            yield return new ProcessEntry(
                pid, int.Parse(fields[1], CultureInfo.InvariantCulture), stat[(open + 1)..close], commandLine);
        }
    }
}
