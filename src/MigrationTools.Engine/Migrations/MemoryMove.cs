using System.Collections.Generic;
using MigrationTools.Engine.Criu;
using MigrationTools.Engine.Transfer;

namespace MigrationTools.Engine.Migrations;

/// <summary>
/// How the switch under way moves the workload's memory, kept in the record from before the freeze until the switch
/// commits or rolls back, so that a switch run again after the controller died finishes it the same way.
/// </summary>
/// <param name="Method">The method chosen for this switch; never <see cref="MemoryTransfer.Auto"/>.</param>
/// <param name="Streamed">
/// Whether pages go from host to host (page server), not in the images: straight between the hosts with a direct
/// transfer, through port forwards of the controller when the migration relays its data.
/// </param>
/// <param name="LazyPages">Where the frozen source serves its pages to a post-copy restore, once the lazy dump listens (on the source).</param>
/// <param name="Link">
/// How the source reaches the destination for pages sent straight between them, as found when the method was chosen, so
/// that the frozen window does not ask again; <see langword="null"/> when pages are relayed or not streamed, and in
/// records written before it was kept (the dump then asks).
/// </param>
/// <param name="PreCopyPages">
/// The pages each pre-copy round wrote (-1 when CRIU did not say), one entry per round whose images are on both hosts;
/// the final dump chains to the last. <see langword="null"/> before the rounds, and for the other methods.
/// </param>
internal sealed record MemoryMove(
    MemoryTransfer Method, bool Streamed, CriuPageServer? LazyPages = null, HostLinkAddresses? Link = null, IReadOnlyList<long>? PreCopyPages = null);
