namespace MigrationTools.Lab.Tests.Lab;

/// <summary>A local process as /proc shows it.</summary>
public sealed record LocalProcessInfo(int Pid, int ParentPid, string CommandLine);

/// <summary>Reads this machine's process table, so a test can find (and end, by PID) a process the engine started.</summary>
public static class LocalProcesses
{
    /// <summary>The live children of <paramref name="parentPid"/>.</summary>
    public static IReadOnlyList<LocalProcessInfo> ChildrenOf(int parentPid) =>
        [.. All().Where(p => p.ParentPid == parentPid)];

    private static IEnumerable<LocalProcessInfo> All()
    {
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out var pid))
            {
                continue;
            }

            string stat, commandLine;
            try
            {
                stat = File.ReadAllText(Path.Combine(directory, "stat"));
                commandLine = File.ReadAllText(Path.Combine(directory, "cmdline")).Replace('\0', ' ').TrimEnd();
            }
            catch (IOException)
            {
                continue;
            }
            catch (UnauthorizedAccessException)
            {
                continue;
            }

            // Fields after the parenthesised name: state, then the parent's PID.
            var afterName = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            yield return new LocalProcessInfo(pid, int.Parse(afterName[1], System.Globalization.CultureInfo.InvariantCulture), commandLine);
        }
    }
}
