namespace MigrationTools.Engine.Transfer;

/// <summary>How a live switch's pages can go from the source to the destination, as found before the freeze.</summary>
/// <param name="Block">Why they cannot; <see langword="null"/> when they can.</param>
/// <param name="Link">The addresses pages sent straight between the hosts use; <see langword="null"/> when relayed or blocked.</param>
/// <param name="Relayed">Whether they go through the controller (the migration relays its data).</param>
internal sealed record PageRoute(string? Block, HostLinkAddresses? Link, bool Relayed);
