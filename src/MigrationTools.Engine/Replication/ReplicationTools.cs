using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using MigrationTools.Engine.Remote;
using MigrationTools.Engine.Zfs;

namespace MigrationTools.Engine.Replication;

/// <summary>
/// Which helper programs (the stream compressors, <c>pv</c>) the two hosts of a replication have, each asked once,
/// and the compression both can do.
/// </summary>
internal sealed class ReplicationTools
{
    private readonly Dictionary<(ZfsHost, string), bool> _tools = new();
    private readonly ZfsHost _source;
    private readonly ZfsHost _target;

    public ReplicationTools(ZfsHost source, ZfsHost target) => (_source, _target) = (source, target);

    /// <summary>Whether <paramref name="host"/> has the program <paramref name="tool"/> on its PATH (asked once).</summary>
    public async Task<bool> HasToolAsync(ZfsHost host, string tool, CancellationToken cancellationToken)
    {
        lock (_tools)
        {
            if (_tools.TryGetValue((host, tool), out var known))
            {
                return known;
            }
        }

        var result = await host.Connection.ExecuteAsync(
            RemoteCommand.Create("sh", "-c", "command -v \"$1\" >/dev/null", "sh", tool), cancellationToken).ConfigureAwait(false);
        lock (_tools)
        {
            _tools[(host, tool)] = result.Succeeded;
        }

        return result.Succeeded;
    }

    /// <summary>The compression both hosts can do for <paramref name="requested"/>.</summary>
    /// <exception cref="ReplicationRefusedException">A specific compression was asked for and a host lacks it.</exception>
    public async Task<StreamCompression> ResolveCompressionAsync(StreamCompression requested, CancellationToken cancellationToken)
    {
        switch (requested)
        {
            case StreamCompression.None:
                return StreamCompression.None;
            case StreamCompression.Auto:
                foreach (var candidate in new[] { StreamCompression.Zstd, StreamCompression.Lz4 })
                {
                    if (await BothHaveAsync(ToolOf(candidate), cancellationToken).ConfigureAwait(false))
                    {
                        return candidate;
                    }
                }

                return StreamCompression.None;
            default:
                var tool = ToolOf(requested);
                return await BothHaveAsync(tool, cancellationToken).ConfigureAwait(false)
                    ? requested
                    : throw new ReplicationRefusedException(
                        $"{requested} compression needs '{tool}' on both {_source.Connection.Destination} and {_target.Connection.Destination}; " +
                        $"install it on both (Debian: apt-get install {tool}), or ask for Auto or None.");
        }
    }

    private async Task<bool> BothHaveAsync(string tool, CancellationToken cancellationToken) =>
        await HasToolAsync(_source, tool, cancellationToken).ConfigureAwait(false) &&
        await HasToolAsync(_target, tool, cancellationToken).ConfigureAwait(false);

    /// <summary>The program that compresses and decompresses a stream with <paramref name="compression"/>.</summary>
    public static string ToolOf(StreamCompression compression) => compression == StreamCompression.Lz4 ? "lz4" : "zstd";
}
