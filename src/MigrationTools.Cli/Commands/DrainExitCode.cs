namespace MigrationTools.Cli.Commands;

/// <summary>
/// The exit code of a drain from its failures: 0 when none failed; otherwise the most serious of the failures' own
/// codes (needs attention, then other errors, then rolled back, then refused); 130 when it was interrupted and nothing
/// needs a person.
/// </summary>
internal static class DrainExitCode
{
    private static readonly int[] BySeverity = [ExitCodes.NeedsAttention, ExitCodes.Error, ExitCodes.RolledBack, ExitCodes.Refused];

    /// <summary>The exit code.</summary>
    /// <param name="failureCodes">Each failed workload's exit code, as its failure alone would give.</param>
    /// <param name="interrupted">Whether the drain was cancelled.</param>
    /// <returns>The code.</returns>
    public static int Of(IReadOnlyCollection<int> failureCodes, bool interrupted)
    {
        ArgumentNullException.ThrowIfNull(failureCodes);
        if (failureCodes.Contains(ExitCodes.NeedsAttention))
        {
            return ExitCodes.NeedsAttention;
        }

        if (interrupted)
        {
            return ExitCodes.Cancelled;
        }

        foreach (var code in BySeverity)
        {
            if (failureCodes.Contains(code))
            {
                return code;
            }
        }

        return failureCodes.Count == 0 ? ExitCodes.Success : ExitCodes.Error;
    }
}
