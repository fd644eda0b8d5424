using System;
using MigrationTools.Engine.Workloads;

namespace MigrationTools.Engine.Criu;

/// <summary>A tree that was restored and runs.</summary>
/// <param name="Host">The host it runs on.</param>
/// <param name="Process">The restored tree's root, in that host's PID namespace; record it with <see cref="WorkloadRuntime.AdoptAsync"/>.</param>
/// <param name="Images">The images it came from.</param>
/// <param name="Elapsed">How long the restore took.</param>
internal sealed record CriuRestore(string Host, WorkloadProcess Process, CriuImageDirectory Images, TimeSpan Elapsed);
