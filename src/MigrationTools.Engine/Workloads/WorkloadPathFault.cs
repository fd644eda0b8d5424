namespace MigrationTools.Engine.Workloads;

/// <summary>What is wrong with one directory of <see cref="WorkloadPaths"/>, found by <see cref="WorkloadPathsValidator"/>.</summary>
/// <param name="Field">The directory.</param>
/// <param name="Value">The value given.</param>
/// <param name="Message">What is wrong and what to do, without naming any front end's parameter.</param>
public sealed record WorkloadPathFault(WorkloadPathField Field, string? Value, string Message);
