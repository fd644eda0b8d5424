using System.Text;

namespace MigrationTools.Engine.Tests.Remote;

/// <summary>
/// Looks up local <c>sleep</c> processes by their (unique) duration argument, through /proc. Only the sleep
/// itself counts: shells that pass the argument along carry it too.
/// </summary>
internal static class ProcessTable
{
    /// <summary>The ids of <c>sleep</c> processes with <paramref name="argument"/> as one of their arguments.</summary>
    public static IReadOnlyList<int> WithArgument(string argument)
    {
        var found = new List<int>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out var pid))
            {
                continue;
            }

            try
            {
                var words = Encoding.UTF8.GetString(File.ReadAllBytes(Path.Combine(directory, "cmdline"))).Split('\0');
                if (Path.GetFileName(words[0]) == "sleep" && words.Contains(argument) && !IsZombie(directory))
                {
                    found.Add(pid);
                }
            }
            catch (IOException)
            {
                // The process ended while being looked at.
            }
            catch (UnauthorizedAccessException)
            {
                // Not ours to read.
            }
        }

        return found;
    }

    /// <summary>Waits until no process has <paramref name="argument"/>; true when that happened in time.</summary>
    public static async Task<bool> WaitUntilGoneAsync(string argument, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (WithArgument(argument).Count > 0)
        {
            if (DateTime.UtcNow > deadline)
            {
                return false;
            }

            await Task.Delay(50);
        }

        return true;
    }

    /// <summary>Waits until a process has <paramref name="argument"/>; true when that happened in time.</summary>
    public static async Task<bool> WaitUntilRunningAsync(string argument, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (WithArgument(argument).Count == 0)
        {
            if (DateTime.UtcNow > deadline)
            {
                return false;
            }

            await Task.Delay(50);
        }

        return true;
    }

    /// <summary>A sleep duration unique to one test, so its process can be told from every other sleep.</summary>
    public static string UniqueSleep() => "300." + Random.Shared.Next(100000, 999999).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static bool IsZombie(string directory)
    {
        var stat = File.ReadAllText(Path.Combine(directory, "stat"));
        var state = stat[(stat.LastIndexOf(')') + 2)..];
        return state.StartsWith('Z');
    }
}
