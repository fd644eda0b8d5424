using System;
using MigrationTools.Engine.Remote;
using MigrationTools.Engine.Zfs;

namespace MigrationTools.Engine.Migrations;

/// <summary>What to migrate, from where to where, and how; the input of test, begin and move.</summary>
public sealed record MigrationRequest
{
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
