using System;

namespace MigrationTools.Engine.Migrations;

/// <summary>One step a migration took: when it ran, how it ended and how many bytes it moved.</summary>
/// <param name="Phase">The step.</param>
/// <param name="Start">When it began.</param>
/// <param name="End">When it ended; <see langword="null"/> while it runs or if it was cut short.</param>
/// <param name="Outcome">What happened, for people; <see langword="null"/> when there is nothing to say.</param>
/// <param name="Bytes">The bytes it transferred.</param>
public sealed record PhaseRecord(MigrationPhase Phase, DateTimeOffset Start, DateTimeOffset? End, string? Outcome, long Bytes);
