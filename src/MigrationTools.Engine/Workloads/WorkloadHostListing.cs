using System.Collections.Generic;

namespace MigrationTools.Engine.Workloads;

/// <summary>What one host declares: its valid workloads and the manifest files that could not be read.</summary>
/// <param name="Host">The host, as the connection names it.</param>
/// <param name="Workloads">The workloads with valid manifests, by name.</param>
/// <param name="Errors">One error per malformed manifest file, naming the file and the fault.</param>
public sealed record WorkloadHostListing(string Host, IReadOnlyList<WorkloadSummary> Workloads, IReadOnlyList<WorkloadManifestException> Errors);
