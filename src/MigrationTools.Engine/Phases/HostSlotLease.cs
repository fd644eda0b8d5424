using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;

namespace MigrationTools.Engine.Phases;

/// <summary>Slots held on some hosts; disposing releases them all.</summary>
internal sealed class HostSlotLease : IDisposable
{
    private readonly IReadOnlyList<FileStream> _streams;
    private readonly IReadOnlyDictionary<string, long?> _shares;
    private int _disposed;

    public HostSlotLease(IReadOnlyList<FileStream> streams, IReadOnlyList<string> hostKeys, IReadOnlyDictionary<string, long?> shares)
    {
        _streams = streams;
        HostKeys = hostKeys;
        _shares = shares;
    }

    /// <summary>The hosts held, by slot key, sorted.</summary>
    public IReadOnlyList<string> HostKeys { get; }

    /// <summary>
    /// The bandwidth a stream touching the held hosts may use: the least of each host's budget divided by its holders
    /// when the lease was taken; <see langword="null"/> when no host has a budget.
    /// </summary>
    public long? BandwidthShare
    {
        get
        {
            long? least = null;
            foreach (var share in _shares.Values)
            {
                if (share is { } s)
                {
                    least = least is { } l ? Math.Min(l, s) : s;
                }
            }

            return least;
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        foreach (var stream in _streams)
        {
            HostSlots.Release(stream);
        }
    }
}
