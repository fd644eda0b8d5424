namespace MigrationTools.Engine.Workloads;

/// <summary>What is wrong with one value of a manifest, found by <see cref="WorkloadManifestValidator"/>.</summary>
/// <param name="Field">The value.</param>
/// <param name="Value">The value given, as text; for a list, the item that is wrong.</param>
/// <param name="Message">What is wrong and what to do, without naming any front end's parameter.</param>
public sealed record WorkloadManifestFault(WorkloadManifestField Field, string? Value, string Message);
