using System.Globalization;

namespace MigrationTools.Engine.Workloads;

/// <summary>
/// The process at the root of a workload's tree, as its host sees it: the PID (in the host's PID namespace) and
/// its start time, so that a PID the kernel has since given to another process is never taken for it.
/// </summary>
/// <param name="Pid">The PID in the host's namespace; inside its own namespace the workload is PID 1.</param>
/// <param name="StartTime">When it started, in clock ticks after boot (field 22 of <c>/proc/PID/stat</c>).</param>
public sealed record WorkloadProcess(int Pid, long StartTime)
{
    /// <summary>The PID and start time, such as <c>4242 (started at tick 341611)</c>.</summary>
    /// <returns>The description.</returns>
    public override string ToString() =>
        Pid.ToString(CultureInfo.InvariantCulture) + " (started at tick " + StartTime.ToString(CultureInfo.InvariantCulture) + ")";

    /// <summary>Parses <c>"PID START"</c>, as the host scripts print it.</summary>
    internal static WorkloadProcess? TryParse(string? text)
    {
        var words = (text ?? "").Trim().Split(' ');
        return words.Length == 2
            && int.TryParse(words[0], NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && pid > 0
            && long.TryParse(words[1], NumberStyles.None, CultureInfo.InvariantCulture, out var start)
            ? new WorkloadProcess(pid, start)
            : null;
    }
}
