using System;
using System.Collections.Generic;
using System.Linq;
using MigrationTools.Engine.Remote;

namespace MigrationTools.Engine.Zfs;

/// <summary>
/// What one host's <c>zfs</c> can do: modern OpenZFS (size estimates, compressed, large-block and embedded
/// streams, resumable receives, receives that do not mount, bookmarks) or the legacy subset of zfs-fuse.
/// Detected once per host from the usage text <c>zfs</c> prints without arguments and the property table
/// <c>zfs get</c> prints without arguments; consulted by <see cref="ZfsReplicationPlanner"/>.
/// </summary>
public sealed record ZfsCapabilities
{
    private readonly IReadOnlyDictionary<string, string> _commands;
    private readonly IReadOnlyCollection<string> _properties;

    private ZfsCapabilities(IReadOnlyDictionary<string, string> commands, IReadOnlyCollection<string> properties)
    {
        _commands = commands;
        _properties = properties;
    }

    /// <summary>The commands the usage text lists.</summary>
    public IReadOnlyCollection<string> Commands => _commands.Keys.OrderBy(c => c, StringComparer.Ordinal).ToArray();

    /// <summary>The native properties <c>zfs get</c> lists (hidden ones such as <c>guid</c> are not among them).</summary>
    public IReadOnlyCollection<string> Properties => _properties;

    /// <summary>The single-letter options of <c>zfs send</c>, sorted.</summary>
    public string SendOptions => Options("send");

    /// <summary>The single-letter options of <c>zfs receive</c>, sorted.</summary>
    public string ReceiveOptions => Options("receive");

    /// <summary><c>zfs send -n -P</c>: a dry run that prints the stream's size.</summary>
    public bool CanEstimateSendSize => HasOption("send", 'n') && HasOption("send", 'P');

    /// <summary><c>zfs send -c</c>: blocks stay compressed as they are on disk.</summary>
    public bool CanSendCompressed => HasOption("send", 'c');

    /// <summary><c>zfs send -L</c>: blocks larger than 128 KiB stay large.</summary>
    public bool CanSendLargeBlocks => HasOption("send", 'L');

    /// <summary><c>zfs send -e</c>: blocks embedded in block pointers stay embedded.</summary>
    public bool CanSendEmbedded => HasOption("send", 'e');

    /// <summary><c>zfs send -t</c>: resumes a stream from a receiver's resume token.</summary>
    public bool CanResumeSend => HasOption("send", 't');

    /// <summary><c>zfs receive -s</c>: an interrupted receive keeps its state and can be resumed.</summary>
    public bool CanReceiveResumable => HasOption("receive", 's');

    /// <summary><c>zfs receive -u</c>: the received filesystem is not mounted.</summary>
    public bool CanReceiveUnmounted => HasOption("receive", 'u');

    /// <summary><c>zfs receive -A</c>: discards an interrupted resumable receive's state.</summary>
    public bool CanAbortResumableReceive => HasOption("receive", 'A');

    /// <summary>The <c>receive_resume_token</c> property exists.</summary>
    public bool HasResumeTokenProperty => HasProperty("receive_resume_token");

    /// <summary>The <c>written</c> property exists.</summary>
    public bool HasWrittenProperty => HasProperty("written");

    /// <summary><c>zfs bookmark</c> exists.</summary>
    public bool HasBookmarks => _commands.ContainsKey("bookmark");

    /// <summary>
    /// <c>zfs holds -H</c> lists a snapshot's hold tags. zfs-fuse lists <c>holds</c> in its usage, but the command
    /// fails there (it needs a Python helper that is not shipped); its scriptable <c>-H</c> form is the modern one.
    /// Where it is missing, only the number of holds is known (the <c>userrefs</c> property).
    /// </summary>
    public bool CanListHolds => HasOption("holds", 'H');

    /// <summary>
    /// The legacy command set (zfs-fuse): no resumable receive and no receive without mounting. Its filesystems
    /// are served through FUSE, where a mounted filesystem can show stale data after a receive until remounted.
    /// </summary>
    public bool IsLegacy => !CanReceiveResumable && !CanReceiveUnmounted;

    /// <summary>Reads capabilities from a host's usage texts.</summary>
    /// <param name="usage">What <c>zfs</c> prints without arguments (on standard error, exit status 2).</param>
    /// <param name="propertyTable">What <c>zfs get</c> prints without arguments (on standard error, exit status 2).</param>
    /// <returns>The capabilities.</returns>
    /// <exception cref="FormatException"><paramref name="usage"/> lists no <c>send</c> or <c>receive</c> command.</exception>
    public static ZfsCapabilities Parse(string usage, string propertyTable)
    {
        var commands = ZfsUsageText.ParseCommands(usage);
        if (!commands.ContainsKey("send") || !commands.ContainsKey("receive"))
        {
            throw new FormatException(
                "The zfs usage text lists no 'send' or 'receive' command, so this is not a zfs the engine knows. It began: " +
                SafeText.Show(usage.Length > 200 ? usage.Substring(0, 200) : usage));
        }

        return new ZfsCapabilities(commands, ZfsUsageText.ParseProperties(propertyTable ?? ""));
    }

    /// <summary>True when <c>zfs <paramref name="command"/></c> accepts the single-letter <paramref name="option"/>.</summary>
    /// <param name="command">The subcommand, such as <c>send</c>.</param>
    /// <param name="option">The option letter (case matters).</param>
    /// <returns>True when any usage line of the command mentions the option.</returns>
    internal bool HasOption(string command, char option) =>
        _commands.TryGetValue(command ?? "", out var options) && options.IndexOf(option) >= 0;

    /// <summary>True when the native property <paramref name="name"/> exists.</summary>
    /// <param name="name">The property name, such as <c>written</c>.</param>
    /// <returns>True when <c>zfs get</c> lists it.</returns>
    public bool HasProperty(string name) => _properties.Contains(name ?? "");

    /// <summary>The single-letter options of <c>zfs <paramref name="command"/></c>, sorted; empty when the command is missing.</summary>
    /// <param name="command">The subcommand.</param>
    /// <returns>The option letters.</returns>
    public string Options(string command) => _commands.TryGetValue(command ?? "", out var options) ? options : "";

    /// <summary>Equal when both list the same commands, options and properties.</summary>
    /// <param name="other">The other capabilities.</param>
    /// <returns>True when equal.</returns>
    public bool Equals(ZfsCapabilities? other) =>
        other is not null
        && _commands.Count == other._commands.Count
        && _commands.All(pair => other._commands.TryGetValue(pair.Key, out var options) && options == pair.Value)
        && _properties.SequenceEqual(other._properties, StringComparer.Ordinal);

    /// <summary>A hash of the commands and properties.</summary>
    /// <returns>The hash.</returns>
    public override int GetHashCode() => (_commands.Count * 397) ^ _properties.Count;

    /// <summary>A short description: the flavour and the send and receive options.</summary>
    /// <returns>The description.</returns>
    public override string ToString() =>
        $"{(IsLegacy ? "legacy zfs" : "OpenZFS")} (send -{SendOptions}, receive -{ReceiveOptions})";
}
