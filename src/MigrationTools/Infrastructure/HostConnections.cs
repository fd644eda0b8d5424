using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using MigrationTools.Engine.Remote;
using MigrationTools.Engine.Workloads;

namespace MigrationTools.Infrastructure;

/// <summary>
/// The hosts one command talks to: one <see cref="SshConnection"/> per destination, opened on first use and shared by
/// every input that names the same host, so a pipeline of many workloads on one host pays for one ssh handshake.
/// The command closes them all when it ends.
/// </summary>
internal sealed class HostConnections : IDisposable
{
    private readonly Dictionary<string, WorkloadHost> _hosts = new(StringComparer.Ordinal);
    private readonly object _gate = new();
    private bool _disposed;

    /// <summary>Creates an empty set over <paramref name="options"/>.</summary>
    /// <param name="options">How every connection reaches its host.</param>
    /// <param name="paths">Where every host keeps workloads; <see langword="null"/> for the defaults.</param>
    public HostConnections(SshOptions options, WorkloadPaths? paths = null)
    {
        Options = options ?? throw new ArgumentNullException(nameof(options));
        Paths = paths ?? WorkloadPaths.Default;
    }

    /// <summary>How every connection reaches its host.</summary>
    public SshOptions Options { get; }

    /// <summary>Where every host keeps workload manifests and runtime files.</summary>
    public WorkloadPaths Paths { get; }

    /// <summary>The workloads of the host <paramref name="computerName"/> names, over its shared connection.</summary>
    /// <param name="computerName">An ssh_config alias, host name or address, optionally with <c>user@</c> and <c>:port</c>.</param>
    /// <returns>The host's workloads.</returns>
    /// <exception cref="InputException">The computer name is not a valid ssh destination.</exception>
    public WorkloadHost Workloads(string computerName)
    {
        var destination = InputValidation.ComputerName(computerName);
        var key = destination.ToString();
        lock (_gate)
        {
            if (_disposed)
            {
                throw new ObjectDisposedException(nameof(HostConnections));
            }

            if (!_hosts.TryGetValue(key, out var host))
            {
                host = new WorkloadHost(new SshConnection(destination, Options), Paths);
                _hosts.Add(key, host);
            }

            return host;
        }
    }

    /// <summary>Closes every shared connection, all at once.</summary>
    /// <returns>A task that completes when ssh has answered for each.</returns>
    public async Task CloseAsync()
    {
        SshConnection[] connections;
        lock (_gate)
        {
            connections = _hosts.Values.Select(h => h.Connection).ToArray();
        }

        await Task.WhenAll(connections.Select(c => c.CloseAsync())).ConfigureAwait(false);
    }

    /// <summary>Closes every connection still open and forgets them.</summary>
    public void Dispose()
    {
        WorkloadHost[] hosts;
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            hosts = _hosts.Values.ToArray();
            _hosts.Clear();
        }

        foreach (var host in hosts)
        {
            host.Connection.Dispose();
        }
    }
}
