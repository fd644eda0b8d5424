using System;

namespace MigrationTools.Engine.Workloads;

/// <summary>The outcome of a <see cref="HealthProbe"/>.</summary>
/// <param name="Healthy">Whether the check passed within its timeout.</param>
/// <param name="Elapsed">How long it took to pass or to give up.</param>
/// <param name="Detail">What the check said last when it failed; empty when it passed.</param>
internal sealed record HealthResult(bool Healthy, TimeSpan Elapsed, string Detail);
