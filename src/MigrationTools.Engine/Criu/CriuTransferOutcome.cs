namespace MigrationTools.Engine.Criu;

/// <summary>How a detached CRIU operation stands or ended, read from the state it keeps in its image directory.</summary>
/// <param name="State">Running, finished, failed, or never started there.</param>
/// <param name="Detail">A sentence on it; for <see cref="CriuTransferState.Failed"/>, the exit status and the telling lines of its log.</param>
internal sealed record CriuTransferOutcome(CriuTransferState State, string Detail);
