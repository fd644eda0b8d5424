using System;
using MigrationTools.Engine.Workloads;

namespace MigrationTools.Engine.Placement;

/// <summary>Chooses the strategy of a checkpoint mode: the one place that branches on <see cref="CheckpointMode"/>.</summary>
internal static class CheckpointStrategies
{
    /// <summary>The strategy that carries out <paramref name="mode"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">No strategy carries out <paramref name="mode"/>.</exception>
    public static ICheckpointStrategy For(CheckpointMode mode) => mode switch
    {
        CheckpointMode.Criu => CriuCheckpointStrategy.Instance,
        CheckpointMode.Restart => RestartCheckpointStrategy.Instance,
        _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, "No checkpoint strategy carries out this mode."),
    };
}
