using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;

namespace MigrationTools.Infrastructure;

/// <summary>
/// The inputs a migration cmdlet confirmed with -AsJob, kept for the one job it starts at its end: each is the
/// command itself again, with the parameters bound for it.
/// </summary>
internal sealed class MigrationJobBatch
{
    private readonly List<JobInvocation> _invocations = new();
    private readonly List<string> _subjects = new();
    private readonly List<string> _routes = new();

    /// <summary>True while no input was kept.</summary>
    public bool IsEmpty => _invocations.Count == 0;

    /// <summary>Keeps one confirmed input.</summary>
    /// <param name="invocation">The command for it.</param>
    /// <param name="subject">What it concerns, for the job's name, such as the workload.</param>
    /// <param name="source">The host it moves from.</param>
    /// <param name="destination">The host it moves to.</param>
    public void Add(JobInvocation invocation, string subject, string source, string destination)
    {
        _invocations.Add(invocation ?? throw new ArgumentNullException(nameof(invocation)));
        _subjects.Add(subject);
        _routes.Add($"{source} -> {destination}");
    }

    /// <summary>Starts the job for the inputs kept, named after the command and what they concern.</summary>
    /// <param name="cmdlet">The command.</param>
    /// <returns>The running job.</returns>
    public MigrationJob Start(CmdletInfo cmdlet)
    {
        if (cmdlet is null)
        {
            throw new ArgumentNullException(nameof(cmdlet));
        }

        var subjects = _subjects.Distinct(StringComparer.Ordinal).ToList();
        var name = subjects.Count <= 3
            ? $"{cmdlet.Name} {string.Join(", ", subjects)}"
            : $"{cmdlet.Name} {string.Join(", ", subjects.Take(2))} and {subjects.Count - 2} more";
        return MigrationJob.Start(cmdlet, _invocations, name, string.Join(", ", _routes.Distinct(StringComparer.Ordinal)));
    }
}
