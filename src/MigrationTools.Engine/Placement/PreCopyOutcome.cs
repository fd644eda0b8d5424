using System.Collections.Generic;

namespace MigrationTools.Engine.Placement;

/// <summary>What the pre-copy rounds before a switch's freeze came to.</summary>
/// <param name="Pages">The pages each round wrote (-1 when CRIU did not say); empty when the rounds were given up.</param>
/// <param name="GivenUp">Why the rounds were given up and their directories removed; <see langword="null"/> when they converged.</param>
internal sealed record PreCopyOutcome(IReadOnlyList<long> Pages, string? GivenUp);
