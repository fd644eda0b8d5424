using System;
using MigrationTools.Engine.Migrations;

namespace MigrationTools;

/// <summary>One dataset a migration would move and roughly how much, as <see cref="MigrationPlan.Datasets"/> lists it.</summary>
public sealed class MigrationDatasetEstimate
{
    /// <summary>Creates the object for the engine's estimate.</summary>
    /// <param name="estimate">The engine's estimate.</param>
    internal MigrationDatasetEstimate(DatasetEstimate estimate)
    {
        if (estimate is null)
        {
            throw new ArgumentNullException(nameof(estimate));
        }

        Source = estimate.Source.Value;
        Destination = estimate.Target.Value;
        UsedBytes = estimate.UsedBytes;
        EstimatedBytes = estimate.EstimatedBytes;
    }

    /// <summary>The dataset on the source host.</summary>
    public string Source { get; }

    /// <summary>Where its copy would go on the destination host.</summary>
    public string Destination { get; }

    /// <summary>The bytes it uses on the source, its children and snapshots included; -1 when it does not exist.</summary>
    public long UsedBytes { get; }

    /// <summary>The bytes the first, full copy is expected to send (the data referenced now); -1 when it does not exist.</summary>
    public long EstimatedBytes { get; }

    /// <summary>The dataset's name on the source.</summary>
    /// <returns>The name.</returns>
    public override string ToString() => Source;
}
