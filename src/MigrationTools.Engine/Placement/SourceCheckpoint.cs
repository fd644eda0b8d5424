using MigrationTools.Engine.Criu;
using MigrationTools.Engine.Workloads;

namespace MigrationTools.Engine.Placement;

/// <summary>A checkpoint the switch took of the source's tree.</summary>
/// <param name="Process">The tree's root, frozen (or ended when the settings release it).</param>
/// <param name="LazyPages">Where the frozen source serves its pages, for a post-copy; <see langword="null"/> otherwise.</param>
internal sealed record SourceCheckpoint(WorkloadProcess Process, CriuPageServer? LazyPages = null);
