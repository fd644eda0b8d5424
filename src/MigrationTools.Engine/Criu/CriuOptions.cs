using System;
using System.Collections.Generic;
using System.Linq;
using MigrationTools.Engine.Remote;

namespace MigrationTools.Engine.Criu;

/// <summary>
/// The CRIU options a checkpoint needs, given to the dump and mirrored by the restore, since images made with
/// an option can only be restored with it.
/// </summary>
public sealed record CriuOptions
{
    private IReadOnlyList<string> _external = Array.Empty<string>();

    /// <summary>No optional behaviour: listening sockets and the tree's own resources only.</summary>
    public static CriuOptions Default { get; } = new();

    /// <summary>
    /// Checkpoint established TCP connections (<c>--tcp-established</c>); they are restored only where the same
    /// addresses exist, and their peers see a pause, not a reset. Without it they are closed (<c>--tcp-close</c>).
    /// </summary>
    public bool TcpEstablished { get; init; }

    /// <summary>
    /// How the dump locks established TCP connections (<c>--network-lock</c>, given only when not CRIU's default). A
    /// restore always uses the method its images record, so the option is never passed to it.
    /// </summary>
    public CriuNetworkLock NetworkLock { get; init; }

    /// <summary>
    /// Let the dump leave out connections still waiting in a listening socket's
    /// backlog (<c>--skip-in-flight</c>; dump only): without it a service that clients connect to often fails its dump
    /// (<c>In-flight connection</c>, measured with a client connecting every 10 ms). Their clients see a reset and
    /// connect again. True by default.
    /// </summary>
    public bool SkipInFlight { get; init; } = true;

    /// <summary>Checkpoint file locks (<c>--file-locks</c>).</summary>
    public bool FileLocks { get; init; }

    /// <summary>
    /// Resources outside the tree that the tree may use, each given as <c>--external=VALUE</c> (such as
    /// <c>mnt[/data]:data</c> or <c>net[4026531840]:net</c>); see CRIU's documentation of <c>--external</c>.
    /// </summary>
    /// <exception cref="ArgumentException">A value is empty, starts with '-', or holds a control character.</exception>
    public IReadOnlyList<string> External
    {
        get => _external;
        init
        {
            var values = (value ?? throw new ArgumentNullException(nameof(value))).ToArray();
            foreach (var item in values)
            {
                var error = ExternalError(item);
                if (error is not null)
                {
                    throw new ArgumentException(error, nameof(value));
                }
            }

            _external = values;
        }
    }

    /// <summary>True when both ask for the same options.</summary>
    /// <param name="other">The other options.</param>
    /// <returns>True when equal.</returns>
    public bool Equals(CriuOptions? other) =>
        other is not null && TcpEstablished == other.TcpEstablished && SkipInFlight == other.SkipInFlight && NetworkLock == other.NetworkLock && FileLocks == other.FileLocks
        && External.SequenceEqual(other.External, StringComparer.Ordinal);

    /// <summary>A hash consistent with <see cref="Equals(CriuOptions)"/>.</summary>
    /// <returns>The hash.</returns>
    public override int GetHashCode() => (TcpEstablished ? 1 : 0) | (FileLocks ? 2 : 0) | ((int)NetworkLock << 2) | (External.Count << 4);

    /// <summary>The option words, in a fixed order.</summary>
    /// <param name="operation"><see cref="CriuOperation.Dump"/> or <see cref="CriuOperation.Restore"/>.</param>
    internal IEnumerable<string> ToArguments(CriuOperation operation)
    {
        // Without --tcp-established CRIU refuses a tree that holds any connection; --tcp-close lets it through, and its
        // clients see the connection closed (listening sockets move all the same).
        yield return TcpEstablished ? "--tcp-established" : "--tcp-close";

        if (operation == CriuOperation.Dump && SkipInFlight)
        {
            yield return "--skip-in-flight";
        }

        if (operation == CriuOperation.Dump && NetworkLock == CriuNetworkLock.Nftables)
        {
            yield return "--network-lock";
            yield return "nftables";
        }

        if (FileLocks)
        {
            yield return "--file-locks";
        }

        foreach (var item in External)
        {
            // One word with '=': the value can never be read as an option of its own.
            yield return "--external=" + item;
        }
    }

    private static string? ExternalError(string? value)
    {
        if (value is null || value.Length == 0)
        {
            return "An --external value is empty; give a resource such as mnt[/data]:data.";
        }

        if (value[0] == '-')
        {
            return $"The --external value {SafeText.Show(value)} starts with '-'; give a resource such as mnt[/data]:data.";
        }

        foreach (var c in value)
        {
            if (char.IsControl(c))
            {
                return $"The --external value {SafeText.Show(value)} contains {SafeText.Describe(c)}.";
            }
        }

        return null;
    }
}
