namespace MigrationTools.Engine.Workloads;

/// <summary>One manifest file found on a host: its manifest, or why it could not be read.</summary>
/// <param name="File">The file's absolute path on the host.</param>
/// <param name="Manifest">The manifest, or <see langword="null"/> when the file is malformed.</param>
/// <param name="Error">What is wrong with the file, or <see langword="null"/> when it is valid.</param>
public sealed record WorkloadCatalogEntry(string File, WorkloadManifest? Manifest, WorkloadManifestException? Error)
{
    /// <summary>True when the file holds a valid manifest.</summary>
    public bool IsValid => Manifest is not null;
}
