using System;
using MigrationTools.Engine.Workloads;

namespace MigrationTools.Engine.Criu;

/// <summary>A checkpoint that was taken.</summary>
/// <param name="Host">The host it was taken on.</param>
/// <param name="Process">The tree's root.</param>
/// <param name="Images">Where the images are.</param>
/// <param name="LeftStopped">True when the tree still exists, stopped; false when CRIU ended it.</param>
/// <param name="Options">The options used; the restore must use the same.</param>
/// <param name="ImageBytes">The size of the image directory, in bytes.</param>
/// <param name="Elapsed">How long the dump took (the tree is frozen from its start).</param>
internal sealed record CriuDump(
    string Host, WorkloadProcess Process, CriuImageDirectory Images, bool LeftStopped, CriuOptions Options, long ImageBytes, TimeSpan Elapsed);
