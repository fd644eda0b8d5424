using System;
using MigrationTools.Engine.Remote;

namespace MigrationTools.Engine.Transfer;

/// <summary>
/// A stream from one host to another did not arrive whole: the sending or the receiving command failed.
/// The message names both ends and quotes what each printed on standard error.
/// </summary>
public sealed class TransferFailedException : RemoteException
{
    /// <summary>Creates an exception with a generic message.</summary>
    public TransferFailedException()
    {
    }

    /// <summary>Creates an exception with a message.</summary>
    /// <param name="message">What happened.</param>
    public TransferFailedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with a message and its cause.</summary>
    /// <param name="message">What happened.</param>
    /// <param name="innerException">The cause.</param>
    public TransferFailedException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for a transfer between two hosts.</summary>
    /// <param name="source">The sending host.</param>
    /// <param name="target">The receiving host.</param>
    /// <param name="sendFailure">What the sending side said, or <see langword="null"/> when it succeeded.</param>
    /// <param name="receiveFailure">What the receiving side said, or <see langword="null"/> when it succeeded.</param>
    /// <param name="innerException">The underlying failure, if any.</param>
    public TransferFailedException(string source, string target, string? sendFailure, string? receiveFailure, Exception? innerException = null)
        : base(
            $"The stream from {source} to {target} did not arrive whole." +
            (sendFailure is null ? "" : $"\nOn {source}, sending: {sendFailure}") +
            (receiveFailure is null ? "" : $"\nOn {target}, receiving: {receiveFailure}"),
            $"{source} -> {target}",
            null,
            string.Join("\n", sendFailure, receiveFailure).Trim(),
            innerException)
    {
        SendFailure = sendFailure;
        ReceiveFailure = receiveFailure;
    }

    /// <summary>What the sending side said when it failed.</summary>
    public string? SendFailure { get; }

    /// <summary>What the receiving side said when it failed.</summary>
    public string? ReceiveFailure { get; }
}
