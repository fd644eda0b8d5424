using System;

namespace MigrationTools.Engine.Workloads;

/// <summary>
/// Where a host keeps its workloads' manifests and runtime files (PID record and output log). Both are absolute
/// directories on the host; the defaults are <see cref="DefaultManifestDirectory"/> and <see cref="DefaultRuntimeDirectory"/>.
/// </summary>
public sealed record WorkloadPaths
{
    /// <summary>Where manifests are kept unless a host says otherwise.</summary>
    public const string DefaultManifestDirectory = "/etc/migrationtools/workloads";

    /// <summary>Where runtime files are kept unless a host says otherwise; on tmpfs, since a reboot ends every workload.</summary>
    public const string DefaultRuntimeDirectory = "/run/migrationtools/workloads";

    /// <summary>Creates the paths for a host.</summary>
    /// <param name="manifestDirectory">The manifest directory, absolute.</param>
    /// <param name="runtimeDirectory">The runtime directory, absolute.</param>
    /// <exception cref="ArgumentException">A directory breaks <see cref="WorkloadPathsValidator"/>'s rule; front ends ask the validator first.</exception>
    public WorkloadPaths(string manifestDirectory = DefaultManifestDirectory, string runtimeDirectory = DefaultRuntimeDirectory)
    {
        ManifestDirectory = CheckDirectory(WorkloadPathField.ManifestDirectory, manifestDirectory, nameof(manifestDirectory));
        RuntimeDirectory = CheckDirectory(WorkloadPathField.RuntimeDirectory, runtimeDirectory, nameof(runtimeDirectory));
    }

    /// <summary>The default paths.</summary>
    public static WorkloadPaths Default { get; } = new();

    /// <summary>The directory holding <c>&lt;name&gt;.json</c> for each workload.</summary>
    public string ManifestDirectory { get; }

    /// <summary>The directory holding a directory per workload with its PID record and output log.</summary>
    public string RuntimeDirectory { get; }

    /// <summary>A workload's manifest file.</summary>
    /// <param name="name">The workload.</param>
    /// <returns>The absolute path.</returns>
    public string ManifestFile(WorkloadName name) => ManifestDirectory + "/" + Checked(name).Value + ".json";

    /// <summary>
    /// The file that claims a workload for one migration (it holds the migration's id). It sits beside the manifest
    /// because both describe the workload on its host; a controller creates it exclusively, so of two controllers
    /// starting a migration of the same workload exactly one wins.
    /// </summary>
    /// <param name="name">The workload.</param>
    /// <returns>The absolute path.</returns>
    public string ClaimFile(WorkloadName name) => ManifestDirectory + "/" + Checked(name).Value + ".migration";

    /// <summary>A workload's runtime directory.</summary>
    /// <param name="name">The workload.</param>
    /// <returns>The absolute path.</returns>
    public string WorkloadDirectory(WorkloadName name) => RuntimeDirectory + "/" + Checked(name).Value;

    /// <summary>The file recording the running workload's PID and start time.</summary>
    /// <param name="name">The workload.</param>
    /// <returns>The absolute path.</returns>
    public string PidFile(WorkloadName name) => WorkloadDirectory(name) + "/pid";

    /// <summary>
    /// The file the workload's standard output and error are appended to. The workload holds it open, so a checkpoint
    /// needs it on the target too: carry it with the images (<c>CriuDumpRequest.CarriedFiles</c>).
    /// </summary>
    /// <param name="name">The workload.</param>
    /// <returns>The absolute path.</returns>
    public string OutputLog(WorkloadName name) => WorkloadDirectory(name) + "/output.log";

    /// <summary>Checks a directory for use on a host; the exception names the constructor's parameter.</summary>
    private static string CheckDirectory(WorkloadPathField field, string path, string parameter) =>
        WorkloadPathsValidator.Check(field, path) is { } fault ? throw new ArgumentException(fault.Message, parameter) : path.TrimEnd('/');

    private static WorkloadName Checked(WorkloadName name) => name ?? throw new ArgumentNullException(nameof(name));
}
