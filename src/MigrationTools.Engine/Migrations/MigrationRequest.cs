using System;
using MigrationTools.Engine.Remote;
using MigrationTools.Engine.Workloads;

namespace MigrationTools.Engine.Migrations;

/// <summary>What to migrate, from where to where, and how; the input of test, begin and move.</summary>
public sealed record MigrationRequest
{
    private readonly MigrationPlan? _plan;

    /// <summary>Creates a request.</summary>
    /// <param name="workload">The workload, as declared on <paramref name="source"/>.</param>
    /// <param name="source">The host it runs on, as an ssh destination such as <c>root@host-a</c>.</param>
    /// <param name="destination">The host it moves to, as an ssh destination.</param>
    /// <exception cref="ArgumentException">A host is not a valid ssh destination; the message says why.</exception>
    public MigrationRequest(WorkloadName workload, string source, string destination)
    {
        Workload = workload ?? throw new ArgumentNullException(nameof(workload));
        SourceHost = Parse(source, nameof(source));
        DestinationHost = Parse(destination, nameof(destination));
    }

    /// <summary>The workload.</summary>
    public WorkloadName Workload { get; }

    /// <summary>The host it runs on.</summary>
    public SshDestination SourceHost { get; }

    /// <summary>The host it moves to.</summary>
    public SshDestination DestinationHost { get; }

    /// <summary>How data moves and the switch cuts over.</summary>
    public MigrationSettings Settings { get; init; } = new();

    /// <summary>Migrate even when the workload's policy is <c>manual</c>.</summary>
    public bool Force { get; init; }

    /// <summary>
    /// The tested plan this request carries out, if any: a plan that failed is refused before anything else, and what
    /// it found fixed (the checkpoint mode, the datasets) must still hold when the migration begins, or the migration is
    /// refused as tested against a workload that has changed since. Its checks are run again all the same.
    /// </summary>
    /// <exception cref="ArgumentException">The plan is for another workload or other hosts.</exception>
    public MigrationPlan? Plan
    {
        get => _plan;
        init
        {
            if (value is not null && (value.Workload != Workload || value.Source != SourceHost.ToString() || value.Destination != DestinationHost.ToString()))
            {
                throw new ArgumentException(
                    $"The plan moves {value.Workload} from {value.Source} to {value.Destination}, not {Workload} from {SourceHost} to {DestinationHost}.",
                    nameof(Plan));
            }

            _plan = value;
        }
    }

    private static SshDestination Parse(string value, string name)
    {
        if (!SshDestination.TryParse(value, out var destination))
        {
            // Parse again for its message, which names the fault and the fix.
            try
            {
                SshDestination.Parse(value ?? throw new ArgumentNullException(name));
            }
            catch (ArgumentException e) when (e is not ArgumentNullException)
            {
                throw new ArgumentException(e.Message, name, e);
            }
        }

        return destination!;
    }
}
