using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Linq;
using MigrationTools.Engine.Network;
using MigrationTools.Engine.Zfs;

namespace MigrationTools.Engine.Workloads;

/// <summary>
/// A workload as declared on its host: what to run, with which datasets, how it moves and who may move it.
/// Stored as JSON (<see cref="WorkloadManifestJson"/>) in the host's manifest directory as <c>&lt;name&gt;.json</c>.
/// </summary>
/// <remarks>Every value is validated on construction, so a manifest that exists is one that can be run and moved.</remarks>
public sealed record WorkloadManifest
{
    /// <summary>The working directory used when a manifest gives none.</summary>
    public const string DefaultWorkingDirectory = "/";

    /// <summary>The longest working directory accepted (Linux's PATH_MAX without the NUL).</summary>
    public const int MaxWorkingDirectoryLength = WorkloadManifestRules.MaxPathLength;

    /// <summary>Creates a manifest from validated parts.</summary>
    /// <param name="name">The workload's name.</param>
    /// <param name="datasets">The datasets that move with it; none nested in another.</param>
    /// <param name="command">The program and its arguments; not empty.</param>
    /// <param name="checkpointMode">Live (CRIU) or cold (restart).</param>
    /// <param name="workingDirectory">An absolute path; <see langword="null"/> for <see cref="DefaultWorkingDirectory"/>.</param>
    /// <param name="environment">Variables added to the command's environment; <see langword="null"/> for none.</param>
    /// <param name="healthCheck">How to tell it is healthy; <see langword="null"/> for none.</param>
    /// <param name="migrationPolicy">Who may move it.</param>
    /// <param name="serviceAddresses">The addresses its clients reach it at, which move with it; <see langword="null"/> for none.</param>
    /// <exception cref="ArgumentException">A value is invalid; the message names it and the fix.</exception>
    public WorkloadManifest(
        WorkloadName name,
        IEnumerable<DatasetName> datasets,
        IEnumerable<string> command,
        CheckpointMode checkpointMode,
        string? workingDirectory = null,
        IEnumerable<KeyValuePair<string, string>>? environment = null,
        HealthCheck? healthCheck = null,
        MigrationPolicy migrationPolicy = MigrationPolicy.Allowed,
        IEnumerable<ServiceAddress>? serviceAddresses = null)
    {
        Name = name ?? throw new ArgumentNullException(nameof(name));

        var datasetList = (datasets ?? throw new ArgumentNullException(nameof(datasets))).ToArray();
        var argv = (command ?? throw new ArgumentNullException(nameof(command))).ToArray();
        var variableList = (environment ?? Enumerable.Empty<KeyValuePair<string, string>>()).ToArray();
        var addressList = (serviceAddresses ?? Enumerable.Empty<ServiceAddress>()).ToArray();
        if (WorkloadManifestValidator.Check(datasetList, argv, checkpointMode, workingDirectory, variableList, migrationPolicy, addressList) is { } fault)
        {
            throw fault.Field switch
            {
                WorkloadManifestField.CheckpointMode => new ArgumentOutOfRangeException(nameof(checkpointMode), checkpointMode, fault.Message),
                WorkloadManifestField.MigrationPolicy => new ArgumentOutOfRangeException(nameof(migrationPolicy), migrationPolicy, fault.Message),
                WorkloadManifestField.Datasets => new ArgumentException(fault.Message, nameof(datasets)),
                WorkloadManifestField.WorkingDirectory => new ArgumentException(fault.Message, nameof(workingDirectory)),
                WorkloadManifestField.Environment => new ArgumentException(fault.Message, nameof(environment)),
                WorkloadManifestField.ServiceAddresses => new ArgumentException(fault.Message, nameof(serviceAddresses)),
                _ => new ArgumentException(fault.Message, nameof(command)),
            };
        }

        Datasets = datasetList;
        Command = argv;
        CheckpointMode = checkpointMode;
        MigrationPolicy = migrationPolicy;
        WorkingDirectory = workingDirectory ?? DefaultWorkingDirectory;

        // Sorted, so the stored file and equality do not depend on the order variables were given in.
        var variables = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var variable in variableList)
        {
            variables.Add(variable.Key, variable.Value);
        }

        Environment = new ReadOnlyDictionary<string, string>(variables);
        HealthCheck = healthCheck;
        ServiceAddresses = addressList;
    }

    /// <summary>The workload's name, unique on its host.</summary>
    public WorkloadName Name { get; }

    /// <summary>The datasets that move with it, in the order given.</summary>
    public IReadOnlyList<DatasetName> Datasets { get; }

    /// <summary>The program and its arguments; each reaches the program as one word.</summary>
    public IReadOnlyList<string> Command { get; }

    /// <summary>The directory the command starts in.</summary>
    public string WorkingDirectory { get; }

    /// <summary>Variables set for the command on top of the session's environment, by name (ordinal order).</summary>
    public IReadOnlyDictionary<string, string> Environment { get; }

    /// <summary>Live (CRIU) or cold (restart).</summary>
    public CheckpointMode CheckpointMode { get; }

    /// <summary>How to tell it is healthy, or <see langword="null"/>.</summary>
    public HealthCheck? HealthCheck { get; }

    /// <summary>Who may move it.</summary>
    public MigrationPolicy MigrationPolicy { get; }

    /// <summary>The addresses its clients reach it at, in the order given; each moves with it at the switch.</summary>
    public IReadOnlyList<ServiceAddress> ServiceAddresses { get; }

    /// <summary>True when both declare the same workload, value by value.</summary>
    /// <param name="other">The other manifest.</param>
    /// <returns>True when equal.</returns>
    public bool Equals(WorkloadManifest? other) =>
        other is not null
        && Name == other.Name
        && Datasets.SequenceEqual(other.Datasets)
        && Command.SequenceEqual(other.Command, StringComparer.Ordinal)
        && string.Equals(WorkingDirectory, other.WorkingDirectory, StringComparison.Ordinal)
        && Environment.Count == other.Environment.Count
        && Environment.All(v => other.Environment.TryGetValue(v.Key, out var value) && string.Equals(v.Value, value, StringComparison.Ordinal))
        && CheckpointMode == other.CheckpointMode
        && Equals(HealthCheck, other.HealthCheck)
        && MigrationPolicy == other.MigrationPolicy
        && ServiceAddresses.SequenceEqual(other.ServiceAddresses);

    /// <summary>A hash consistent with <see cref="Equals(WorkloadManifest)"/>.</summary>
    /// <returns>The hash.</returns>
    public override int GetHashCode()
    {
        var hash = Name.GetHashCode();
        foreach (var word in Command)
        {
            hash = (hash * 31) ^ StringComparer.Ordinal.GetHashCode(word);
        }

        return hash ^ Datasets.Count ^ ((int)CheckpointMode << 8) ^ ((int)MigrationPolicy << 12);
    }
}
