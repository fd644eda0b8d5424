using MigrationTools.Engine.Remote;

namespace MigrationTools.Engine.Draining;

/// <summary>One destination considered for a workload, and what was found there.</summary>
/// <param name="Host">The destination.</param>
/// <param name="FreeBytes">
/// Free space in the workload's target pool, less what this chooser already placed there and has not yet arrived;
/// <see langword="null"/> when it could not be read.
/// </param>
/// <param name="Passed">True when the migration's preflight passed for this destination.</param>
/// <param name="Refusal">Why it was refused; <see langword="null"/> when it passed.</param>
public sealed record DestinationCandidate(SshDestination Host, long? FreeBytes, bool Passed, string? Refusal);
