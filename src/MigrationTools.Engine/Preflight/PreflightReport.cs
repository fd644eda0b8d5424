using System;
using System.Collections.Generic;
using System.Linq;

namespace MigrationTools.Engine.Preflight;

/// <summary>What a preflight found, check by check; nothing was changed to find it.</summary>
public sealed record PreflightReport
{
    /// <summary>Creates a report from its checks.</summary>
    /// <param name="checks">The checks, in the order they ran.</param>
    public PreflightReport(IEnumerable<PreflightCheck> checks)
    {
        Checks = (checks ?? throw new ArgumentNullException(nameof(checks))).ToArray();
    }

    /// <summary>The checks, in the order they ran.</summary>
    public IReadOnlyList<PreflightCheck> Checks { get; }

    /// <summary>True when every check passed.</summary>
    public bool Passed => Checks.All(check => check.Passed);

    /// <summary>The checks that failed.</summary>
    public IEnumerable<PreflightCheck> Failures => Checks.Where(check => !check.Passed);

    /// <summary>The failed checks' messages, one a line, for an error message.</summary>
    /// <returns>The summary, or an empty string when every check passed.</returns>
    public string DescribeFailures() =>
        string.Join(Environment.NewLine, Failures.Select(check => $"{check.Name}: {check.Message}"));
}
