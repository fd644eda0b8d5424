using System;
using System.Collections.Generic;
using MigrationTools.Engine.Criu;
using MigrationTools.Engine.Hooks;
using MigrationTools.Engine.Migrations;
using MigrationTools.Engine.Replication;
using MigrationTools.Engine.Transfer;
using MigrationTools.Engine.Workloads;

namespace MigrationTools.Infrastructure;

/// <summary>
/// Builds the engine's migration request from the parameters of Test-Migration, Start-Migration and Move-Workload.
/// Each value is checked as the engine checks it; a value it refuses becomes an <see cref="InputException"/> naming the
/// cmdlet's parameter.
/// </summary>
internal static class MigrationDefinition
{
    /// <summary>How the migration moves its data and cuts over.</summary>
    /// <param name="direct">-Direct: the source sends straight to the destination instead of through the controller.</param>
    /// <param name="compression">-Compression.</param>
    /// <param name="bandwidthLimit">-BandwidthLimit, such as <c>50M</c>; empty for none.</param>
    /// <param name="releaseSourceBeforeRestore">-ReleaseSourceBeforeRestore.</param>
    /// <param name="tcpEstablished">-TcpEstablished.</param>
    /// <param name="fileLocks">-FileLocks.</param>
    /// <param name="hooks">The hooks -Hook describes.</param>
    /// <param name="stopTimeoutSeconds">-StopTimeoutSeconds.</param>
    /// <param name="memoryTransfer">-MemoryTransfer.</param>
    /// <returns>The settings.</returns>
    /// <exception cref="InputException">The bandwidth limit is invalid.</exception>
    public static MigrationSettings Settings(
        bool direct,
        StreamCompression compression,
        string? bandwidthLimit,
        bool releaseSourceBeforeRestore,
        bool tcpEstablished,
        bool fileLocks,
        IReadOnlyList<CutoverHook> hooks,
        int stopTimeoutSeconds = WorkloadStopTimeout.DefaultSeconds,
        MemoryTransfer memoryTransfer = MemoryTransfer.Auto) => new()
    {
        Path = direct ? TransferPath.Direct : TransferPath.Relay,
        Compression = compression,
        BandwidthLimit = InputValidation.BandwidthLimit(bandwidthLimit),
        ReleaseSourceBeforeRestore = releaseSourceBeforeRestore,
        Checkpoint = new CriuOptions { TcpEstablished = tcpEstablished, FileLocks = fileLocks },
        MemoryTransfer = memoryTransfer,
        Hooks = hooks ?? throw new ArgumentNullException(nameof(hooks)),
        StopTimeoutSeconds = stopTimeoutSeconds,
    };

    /// <summary>The migration of workload <paramref name="name"/> from <paramref name="computerName"/> to <paramref name="destination"/>.</summary>
    /// <param name="computerName">-ComputerName: the host it runs on.</param>
    /// <param name="name">-Name: the workload.</param>
    /// <param name="destination">-Destination: the host it moves to.</param>
    /// <param name="settings">How it moves.</param>
    /// <param name="force">-Force: move it even when its migration policy is Manual.</param>
    /// <returns>The request.</returns>
    /// <exception cref="InputException">A name or host is invalid.</exception>
    public static MigrationRequest Request(string computerName, string name, string destination, MigrationSettings settings, bool force)
    {
        var workload = InputValidation.WorkloadName(name);
        var source = InputValidation.ComputerName(computerName);
        var target = InputValidation.ComputerName(destination, "Destination");
        return new MigrationRequest(workload, source.ToString(), target.ToString())
        {
            Settings = settings ?? throw new ArgumentNullException(nameof(settings)),
            Force = force,
        };
    }
}
