using System;
using MigrationTools.Engine.Migrations;

namespace MigrationTools;

/// <summary>One dataset of a migration and how far its copy has come, as <see cref="Migration.Datasets"/> lists it.</summary>
public sealed class MigrationDataset
{
    /// <summary>Creates the object for one dataset of the record.</summary>
    /// <param name="dataset">The engine's progress of the dataset.</param>
    internal MigrationDataset(DatasetProgress dataset)
    {
        if (dataset is null)
        {
            throw new ArgumentNullException(nameof(dataset));
        }

        Source = dataset.Source.Value;
        Destination = dataset.Target.Value;
        CommonSnapshot = dataset.CommonSnapshot;
        BytesTransferred = dataset.BytesTotal;
    }

    /// <summary>The dataset on the source host.</summary>
    public string Source { get; }

    /// <summary>Its copy on the destination host.</summary>
    public string Destination { get; }

    /// <summary>The newest snapshot both hosts hold (the part after '@'); empty before the first copy.</summary>
    public string? CommonSnapshot { get; }

    /// <summary>The bytes sent for this dataset so far.</summary>
    public long BytesTransferred { get; }

    /// <summary>The dataset's name on the source.</summary>
    /// <returns>The name.</returns>
    public override string ToString() => Source;
}
