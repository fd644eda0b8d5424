using System;
using System.Threading;
using System.Threading.Tasks;
using MigrationTools.Engine.Network;

namespace MigrationTools.Engine.Workloads;

/// <summary>
/// The rules for declaring, starting, stopping and removing one host's workloads, over its <see cref="WorkloadHost"/>:
/// the one place the front ends take them from. A rule that forbids an action throws
/// <see cref="WorkloadRefusedException"/> before anything changes.
/// </summary>
public sealed class WorkloadService
{
    /// <summary>Creates the service for one host.</summary>
    /// <param name="host">The host's workloads.</param>
    public WorkloadService(WorkloadHost host) => Host = host ?? throw new ArgumentNullException(nameof(host));

    /// <summary>The host's workloads.</summary>
    public WorkloadHost Host { get; }

    private string HostName => Host.Connection.Destination.ToString();

    /// <summary>Every workload the host declares, with its state and dataset usage; see <see cref="WorkloadHost.ListAsync"/>.</summary>
    /// <param name="cancellationToken">Stops the commands.</param>
    /// <returns>The listing.</returns>
    public Task<WorkloadHostListing> ListAsync(CancellationToken cancellationToken = default) => Host.ListAsync(cancellationToken);

    /// <summary>The workload's manifest; it must be declared.</summary>
    /// <param name="name">The workload.</param>
    /// <param name="cancellationToken">Stops the command.</param>
    /// <returns>The manifest.</returns>
    /// <exception cref="WorkloadRefusedException">The host declares no such workload (<see cref="WorkloadRefusal.NotDeclared"/>).</exception>
    /// <exception cref="WorkloadManifestException">Its manifest is malformed.</exception>
    public async Task<WorkloadManifest> GetDeclaredAsync(WorkloadName name, CancellationToken cancellationToken = default) =>
        await Host.Catalog.GetAsync(name ?? throw new ArgumentNullException(nameof(name)), cancellationToken).ConfigureAwait(false)
        ?? throw NotDeclared(name);

    /// <summary>
    /// Declares a workload. Declaring exactly the manifest the host already has changes nothing; a different or
    /// unreadable manifest under the same name is replaced only when <paramref name="replace"/> says so.
    /// </summary>
    /// <param name="manifest">The manifest.</param>
    /// <param name="replace">Replace a different or unreadable manifest of the same name.</param>
    /// <param name="cancellationToken">Stops the commands; the old manifest, if any, then stays.</param>
    /// <returns>What was done.</returns>
    /// <exception cref="WorkloadRefusedException">Another manifest is declared under the name (<see cref="WorkloadRefusal.AlreadyRegistered"/>).</exception>
    public async Task<WorkloadRegistration> RegisterAsync(WorkloadManifest manifest, bool replace, CancellationToken cancellationToken = default)
    {
        if (manifest is null)
        {
            throw new ArgumentNullException(nameof(manifest));
        }

        var file = Host.Paths.ManifestFile(manifest.Name);
        WorkloadManifest? existing;
        string? unreadable = null;
        try
        {
            existing = await Host.Catalog.GetAsync(manifest.Name, cancellationToken).ConfigureAwait(false);
        }
        catch (WorkloadManifestException error)
        {
            existing = null;
            unreadable = error.Message;
        }

        if (existing is not null && existing.Equals(manifest))
        {
            return WorkloadRegistration.Unchanged;
        }

        var declared = existing is not null || unreadable is not null;
        if (declared && !replace)
        {
            var what = unreadable is null ? "a different manifest" : $"a manifest that cannot be read ({unreadable})";
            throw new WorkloadRefusedException(
                WorkloadRefusal.AlreadyRegistered, HostName, manifest.Name, null,
                $"{manifest.Name} is already declared on {HostName} with {what} in {file}; register it again with force to replace it, " +
                "unregister it first, or choose another name.");
        }

        await Host.Catalog.RegisterAsync(manifest, cancellationToken).ConfigureAwait(false);
        return declared ? WorkloadRegistration.Replaced : WorkloadRegistration.Registered;
    }

    /// <summary>
    /// Removes a stopped workload's manifest; its datasets stay. A running or frozen workload keeps its manifest:
    /// without it nothing could stop or move it by name. An unreadable manifest can be removed.
    /// </summary>
    /// <param name="name">The workload.</param>
    /// <param name="cancellationToken">Stops the commands.</param>
    /// <returns>The manifest file removed.</returns>
    /// <exception cref="WorkloadRefusedException">It is not declared, or not stopped (<see cref="WorkloadRefusal.NotStopped"/>).</exception>
    public async Task<string> UnregisterAsync(WorkloadName name, CancellationToken cancellationToken = default)
    {
        if (name is null)
        {
            throw new ArgumentNullException(nameof(name));
        }

        try
        {
            if (await Host.Catalog.GetAsync(name, cancellationToken).ConfigureAwait(false) is null)
            {
                throw NotDeclared(name);
            }
        }
        catch (WorkloadManifestException)
        {
            // A malformed manifest is still a declaration, and removing it is how it is repaired.
        }

        var status = await Host.Runtime.GetStatusAsync(name, cancellationToken).ConfigureAwait(false);
        CheckUnregister(status, HostName);
        return await Host.Catalog.UnregisterAsync(name, cancellationToken).ConfigureAwait(false)
            ? Host.Paths.ManifestFile(name)
            : throw NotDeclared(name);
    }

    /// <summary>
    /// Starts a declared workload, after adding its service addresses on the host; one already running is left as it
    /// is, a frozen one is refused.
    /// </summary>
    /// <param name="name">The workload.</param>
    /// <param name="cancellationToken">Stops the commands.</param>
    /// <returns>Whether it was started, and its process tree.</returns>
    /// <exception cref="WorkloadRefusedException">It is not declared, or frozen (<see cref="WorkloadRefusal.Frozen"/>).</exception>
    /// <exception cref="ServiceAddressException">A service address's interface is missing or down, or an address could not be added.</exception>
    public async Task<WorkloadStartResult> StartAsync(WorkloadName name, CancellationToken cancellationToken = default)
    {
        var manifest = await GetDeclaredAsync(name, cancellationToken).ConfigureAwait(false);
        var status = await Host.Runtime.GetStatusAsync(name, cancellationToken).ConfigureAwait(false);
        if (CheckStart(status, HostName) is { } running)
        {
            return new WorkloadStartResult(false, running);
        }

        // Its addresses first, so that it can bind them as it starts.
        await new ServiceAddressHost(Host.Connection).ClaimAsync(manifest.ServiceAddresses, cancellationToken).ConfigureAwait(false);
        return new WorkloadStartResult(true, await Host.Runtime.StartAsync(manifest, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>
    /// Stops a declared workload: SIGTERM, then SIGKILL to its whole tree after <paramref name="timeoutSeconds"/>;
    /// a frozen tree is killed at once. Its service addresses are then removed from the host.
    /// </summary>
    /// <param name="name">The workload.</param>
    /// <param name="timeoutSeconds">The grace period, within <see cref="WorkloadStopTimeout"/>'s limits; checked before any host is reached.</param>
    /// <param name="cancellationToken">Stops the commands.</param>
    /// <returns>How it ended.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The timeout is out of range.</exception>
    /// <exception cref="WorkloadRefusedException">It is not declared.</exception>
    public async Task<WorkloadStopResult> StopAsync(WorkloadName name, int timeoutSeconds, CancellationToken cancellationToken = default)
    {
        var gracePeriod = WorkloadStopTimeout.Of(timeoutSeconds);
        var manifest = await GetDeclaredAsync(name, cancellationToken).ConfigureAwait(false);
        var stopped = await Host.Runtime.StopAsync(name, gracePeriod, cancellationToken).ConfigureAwait(false);
        await new ServiceAddressHost(Host.Connection).ReleaseAsync(manifest.ServiceAddresses, cancellationToken).ConfigureAwait(false);
        return stopped;
    }

    /// <summary>The unregister rule: only a stopped workload loses its manifest.</summary>
    /// <param name="status">The workload's state.</param>
    /// <param name="host">The host, for the message.</param>
    /// <exception cref="WorkloadRefusedException">It runs or is frozen.</exception>
    internal static void CheckUnregister(WorkloadStatus status, string host)
    {
        if (status.State != WorkloadState.Stopped)
        {
            throw new WorkloadRefusedException(
                WorkloadRefusal.NotStopped, host, status.Name, status,
                $"{status.Name} is {Describe(status.State)} on {host} (process {status.Pid}); stop it first, then unregister it: " +
                "without its manifest nothing could stop or move it by name.");
        }
    }

    /// <summary>The start rule: a stopped workload starts, a running one is left alone, a frozen one is refused.</summary>
    /// <param name="status">The workload's state.</param>
    /// <param name="host">The host, for the message.</param>
    /// <returns>The running tree, or <see langword="null"/> when it should be started.</returns>
    /// <exception cref="WorkloadRefusedException">It is frozen.</exception>
    internal static WorkloadProcess? CheckStart(WorkloadStatus status, string host) => status.State switch
    {
        WorkloadState.Stopped => null,
        WorkloadState.Running when status.Process is { } process => process,
        WorkloadState.Frozen => throw new WorkloadRefusedException(
            WorkloadRefusal.Frozen, host, status.Name, status,
            $"{status.Name} is frozen on {host}: its process tree ({status.Pid}) was stopped by a checkpoint, as a migration's switch leaves it. " +
            "Let the migration finish or undo it; to end the frozen tree instead, stop the workload."),
        _ => throw new InvalidOperationException($"{status.Name} on {host} is {status.State} without a process."),
    };

    private static string Describe(WorkloadState state) => state switch
    {
        WorkloadState.Running => "running",
        WorkloadState.Frozen => "frozen",
        _ => "stopped",
    };

    private WorkloadRefusedException NotDeclared(WorkloadName name) => new(
        WorkloadRefusal.NotDeclared, HostName, name, null,
        $"No workload named {name} is declared on {HostName} (there is no {Host.Paths.ManifestFile(name)}); list the host's workloads to see those there.");
}
