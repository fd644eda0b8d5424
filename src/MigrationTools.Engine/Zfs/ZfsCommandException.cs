using System;
using MigrationTools.Engine.Remote;

namespace MigrationTools.Engine.Zfs;

/// <summary>A <c>zfs</c> command ran on a host and failed; <see cref="Failure"/> says how, when the engine can tell.</summary>
public sealed class ZfsCommandException : RemoteException
{
    /// <summary>Creates an exception with a generic message.</summary>
    public ZfsCommandException()
        : this("A zfs command failed.")
    {
    }

    /// <summary>Creates an exception with a message.</summary>
    /// <param name="message">What happened.</param>
    public ZfsCommandException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with a message and its cause.</summary>
    /// <param name="message">What happened.</param>
    /// <param name="innerException">The cause.</param>
    public ZfsCommandException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for a <c>zfs</c> command that failed.</summary>
    /// <param name="failure">What kind of failure it was.</param>
    /// <param name="host">The destination.</param>
    /// <param name="command">The command line.</param>
    /// <param name="exitCode">Its exit status.</param>
    /// <param name="standardError">Its standard error.</param>
    public ZfsCommandException(ZfsFailure failure, string host, string command, int exitCode, string standardError)
        : base(
            $"{command} failed on {host} with exit status {exitCode}" +
            (string.IsNullOrWhiteSpace(standardError) ? " and printed nothing on standard error." : ":\n" + Excerpt(standardError)),
            host,
            command,
            standardError)
    {
        Failure = failure;
        ExitCode = exitCode;
    }

    /// <summary>What kind of failure it was.</summary>
    public ZfsFailure Failure { get; }

    /// <summary>The command's exit status.</summary>
    public int ExitCode { get; }

    /// <summary>The exception for a failed <paramref name="result"/>, its kind told from its standard error.</summary>
    internal static ZfsCommandException From(RemoteResult result) =>
        new(Classify(result.ExitCode, result.StandardError), result.Host, result.Command, result.ExitCode, result.StandardError);

    /// <summary>Tells the kind of failure from <c>zfs</c>'s messages (the same in zfs-fuse and OpenZFS).</summary>
    /// <param name="exitCode">The exit status.</param>
    /// <param name="standardError">What the command printed on standard error.</param>
    /// <returns>The kind, <see cref="ZfsFailure.Other"/> when nothing more specific fits.</returns>
    internal static ZfsFailure Classify(int exitCode, string? standardError)
    {
        var text = standardError ?? "";
        if (exitCode == 127 || Contains(text, "zfs: not found") || Contains(text, "zfs: command not found"))
        {
            return ZfsFailure.Unavailable;
        }

        // Tag messages first: "cannot hold 'x': tag already exists" also contains "already exists".
        if (Contains(text, "tag already exists"))
        {
            return ZfsFailure.TagAlreadyExists;
        }

        if (Contains(text, "no such tag"))
        {
            return ZfsFailure.NoSuchTag;
        }

        if (Contains(text, "does not have any resumable receive state"))
        {
            return ZfsFailure.NoResumableState;
        }

        if (Contains(text, "has been modified"))
        {
            return ZfsFailure.DestinationModified;
        }

        if (Contains(text, "does not exist") || Contains(text, "could not find any snapshots"))
        {
            return ZfsFailure.DoesNotExist;
        }

        if (Contains(text, "already exists") || Contains(text, "must specify -F to overwrite"))
        {
            return ZfsFailure.AlreadyExists;
        }

        if (Contains(text, "is busy"))
        {
            return ZfsFailure.Busy;
        }

        if (Contains(text, "not currently mounted"))
        {
            return ZfsFailure.NotMounted;
        }

        if (Contains(text, "already mounted"))
        {
            return ZfsFailure.AlreadyMounted;
        }

        return ZfsFailure.Other;
    }

    private static bool Contains(string text, string value) => text.IndexOf(value, StringComparison.Ordinal) >= 0;
}
