using System.Collections.Generic;
using MigrationTools.Engine.Criu;
using MigrationTools.Engine.Preflight;

namespace MigrationTools.Engine.Placement;

/// <summary>What a checkpoint mode found of the two hosts before a move.</summary>
/// <param name="Checks">Its checks, beyond the datasets'.</param>
/// <param name="MemoryTransfer">How a live switch would move memory, and why; <see langword="null"/> when the mode moves none.</param>
internal sealed record CheckpointPreflight(IReadOnlyList<PreflightCheck> Checks, MemoryTransferChoice? MemoryTransfer);
