using System.Collections.Generic;
using MigrationTools.Engine.Criu;

namespace MigrationTools.Engine.Migrations;

/// <summary>
/// How the switch under way moves the workload's memory, kept in the record from before the freeze until the switch
/// commits or rolls back, so that a switch run again after the controller died finishes it the same way.
/// </summary>
/// <param name="Method">The method chosen for this switch; never <see cref="MemoryTransfer.Auto"/>.</param>
/// <param name="Streamed">Whether pages go straight between the hosts (page server), not in the images through the controller.</param>
/// <param name="LazyPages">Where the frozen source serves its pages to a post-copy restore, once the lazy dump listens.</param>
/// <param name="PreCopyPages">
/// The pages each pre-copy round wrote (-1 when CRIU did not say), one entry per round whose images are on both hosts;
/// the final dump chains to the last. <see langword="null"/> before the rounds, and for the other methods.
/// </param>
internal sealed record MemoryMove(MemoryTransfer Method, bool Streamed, CriuPageServer? LazyPages = null, IReadOnlyList<long>? PreCopyPages = null);
