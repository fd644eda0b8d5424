using System;
using System.Collections.Generic;
using MigrationTools.Engine.Migrations;

namespace MigrationTools.Engine.Switching;

/// <summary>What the switch sent while the workload was halted: the final delta and, when the mode carries one, its state.</summary>
/// <param name="Datasets">Each dataset's progress after the final round.</param>
/// <param name="DeltaBytes">The bytes of the final delta.</param>
/// <param name="DeltaTime">How long the final delta took.</param>
/// <param name="StateBytes">The bytes of the shipped state (checkpoint images); 0 when none travelled.</param>
/// <param name="StateTime">How long shipping the state took; <see langword="null"/> when none travelled.</param>
internal sealed record FinalShipment(IReadOnlyList<DatasetProgress> Datasets, long DeltaBytes, TimeSpan DeltaTime, long StateBytes, TimeSpan? StateTime);
