using System;
using System.Collections.Generic;
using MigrationTools.Engine.Remote;

namespace MigrationTools.Engine.Phases;

/// <summary>
/// The engine's ssh connections, shared by the migrations that act on the same host at once: each connection is one
/// multiplexing master (its own control path), leased by up to <see cref="MigrationsPerConnection"/> phases and closed
/// when the last lease ends, so no phase ever cuts off another's commands.
/// </summary>
internal sealed class HostConnections
{
    /// <summary>
    /// Phases sharing one connection at most: a switch runs up to three sessions at once, and sshd's default MaxSessions
    /// is 10 per connection.
    /// </summary>
    internal const int MigrationsPerConnection = 3;

    private readonly SshOptions _options;
    private readonly object _gate = new();
    private readonly Dictionary<SshDestination, List<Shared>> _open = new();

    public HostConnections(SshOptions options) => _options = options ?? throw new ArgumentNullException(nameof(options));

    /// <summary>A connection to <paramref name="destination"/>, shared when one with room is open; dispose the lease when done.</summary>
    public Lease Take(SshDestination destination)
    {
        lock (_gate)
        {
            if (!_open.TryGetValue(destination, out var list))
            {
                list = new List<Shared>();
                _open[destination] = list;
            }

            var shared = list.Find(s => s.Users < MigrationsPerConnection);
            if (shared is null)
            {
                shared = new Shared(new SshConnection(destination, _options));
                list.Add(shared);
            }

            shared.Users++;
            return new Lease(this, destination, shared);
        }
    }

    /// <summary>The connections open to <paramref name="destination"/> now, for tests.</summary>
    internal int OpenTo(SshDestination destination)
    {
        lock (_gate)
        {
            return _open.TryGetValue(destination, out var list) ? list.Count : 0;
        }
    }

    private void Return(SshDestination destination, Shared shared)
    {
        lock (_gate)
        {
            if (--shared.Users > 0)
            {
                return;
            }

            _open[destination].Remove(shared);
            if (_open[destination].Count == 0)
            {
                _open.Remove(destination);
            }
        }

        // Outside the lock: closing waits for ssh.
        shared.Connection.Dispose();
    }

    internal sealed class Shared
    {
        public Shared(SshConnection connection) => Connection = connection;

        public SshConnection Connection { get; }

        public int Users { get; set; }
    }

    /// <summary>One phase's use of a shared connection.</summary>
    internal sealed class Lease : IDisposable
    {
        private readonly HostConnections _owner;
        private readonly SshDestination _destination;
        private readonly Shared _shared;
        private int _returned;

        public Lease(HostConnections owner, SshDestination destination, Shared shared)
        {
            _owner = owner;
            _destination = destination;
            _shared = shared;
        }

        public SshConnection Connection => _shared.Connection;

        public void Dispose()
        {
            if (System.Threading.Interlocked.Exchange(ref _returned, 1) == 0)
            {
                _owner.Return(_destination, _shared);
            }
        }
    }
}
