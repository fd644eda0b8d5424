using System;
using System.Collections.Generic;
using System.Linq;
using MigrationTools.Engine.Criu;
using MigrationTools.Engine.Remote;
using MigrationTools.Engine.Workloads;
using MigrationTools.Engine.Zfs;

namespace MigrationTools.Engine.Privilege;

/// <summary>
/// What a least-privilege host lets the engine touch as root: the datasets below its roots and the engine's own
/// directories. The host helper (<see cref="HostHelperScript"/>) is rendered from it, so it is fixed when the helper is
/// installed; nothing the unprivileged caller sends at run time can widen it.
/// </summary>
public sealed class HostPolicy
{
    /// <summary>Where the helper is installed: a root-owned directory, outside any user's reach.</summary>
    public const string DefaultHelperPath = "/usr/local/libexec/migrationtools/mt-host";

    // Characters a sudoers command path cannot carry unescaped, or that would widen it into a pattern.
    private static readonly char[] SudoersSpecial = { ' ', '\t', '*', '?', '[', '\\', ',', ':', '=' };

    /// <summary>Creates a policy.</summary>
    /// <param name="datasetRoots">The datasets whose trees the engine may change (at least one).</param>
    /// <param name="paths">The workload directories; <see cref="WorkloadPaths.Default"/> when null.</param>
    /// <param name="helperPath">Where the helper is installed; <see cref="DefaultHelperPath"/> when null.</param>
    /// <exception cref="ArgumentException">No dataset root, or a helper path that is not absolute and plain.</exception>
    public HostPolicy(IEnumerable<DatasetName> datasetRoots, WorkloadPaths? paths = null, string? helperPath = null)
    {
        DatasetRoots = (datasetRoots ?? throw new ArgumentNullException(nameof(datasetRoots))).Distinct().ToArray();
        if (DatasetRoots.Count == 0)
        {
            throw new ArgumentException("A host policy needs at least one dataset root, the tree the engine may change (for example tank/apps).", nameof(datasetRoots));
        }

        Paths = paths ?? WorkloadPaths.Default;
        HelperPath = helperPath ?? DefaultHelperPath;
        if (HelperPathError(HelperPath) is { } error)
        {
            throw new ArgumentException(error, nameof(helperPath));
        }
    }

    /// <summary>Why <paramref name="path"/> cannot be the helper's path, or null when it can.</summary>
    /// <param name="path">The path as given.</param>
    /// <returns>The fault and its fix, or <see langword="null"/>.</returns>
    public static string? HelperPathError(string? path) =>
        path is null || WorkloadPathsValidator.Check(WorkloadPathField.RuntimeDirectory, path) is not null || path.IndexOfAny(SudoersSpecial) >= 0
            ? $"The helper path {SafeText.Show(path)} must be an absolute path without spaces or sudoers special characters, such as {DefaultHelperPath}."
            : null;

    /// <summary>The datasets whose trees the engine may snapshot, send, receive into and change.</summary>
    public IReadOnlyList<DatasetName> DatasetRoots { get; }

    /// <summary>The manifest and runtime directories.</summary>
    public WorkloadPaths Paths { get; }

    /// <summary>The directory the checkpoint images are created in.</summary>
    public string ImageParent { get; } = CriuImageDirectory.DefaultParent;

    /// <summary>The helper's absolute path on the host.</summary>
    public string HelperPath { get; }
}
