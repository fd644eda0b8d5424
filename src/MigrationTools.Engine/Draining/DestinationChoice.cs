using System.Collections.Generic;
using MigrationTools.Engine.Migrations;

namespace MigrationTools.Engine.Draining;

/// <summary>The destination picked for a workload.</summary>
/// <param name="Request">The request for the chosen destination, carrying the plan its preflight passed.</param>
/// <param name="Candidates">Every destination considered, in the order given.</param>
/// <param name="Reason">Why this one, in words (free space, ties, refusals).</param>
public sealed record DestinationChoice(MigrationRequest Request, IReadOnlyList<DestinationCandidate> Candidates, string Reason)
{
    /// <summary>The chosen destination, as an ssh destination.</summary>
    public string Destination => Request.DestinationHost.ToString();
}
