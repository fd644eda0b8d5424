using System;
using MigrationTools.Engine.Remote;

namespace MigrationTools.Engine.Criu;

/// <summary>
/// A CRIU operation failed on a host. The message names the host, the operation and the exit status, and quotes
/// the part of CRIU's log that says why (<see cref="LogExcerpt"/>).
/// </summary>
public sealed class CriuException : RemoteException
{
    /// <summary>Creates an exception with a generic message.</summary>
    public CriuException()
        : this("A CRIU operation failed.")
    {
    }

    /// <summary>Creates an exception with a message.</summary>
    /// <param name="message">What happened.</param>
    public CriuException(string message)
        : base(message)
    {
        LogExcerpt = "";
    }

    /// <summary>Creates an exception with a message and its cause.</summary>
    /// <param name="message">What happened.</param>
    /// <param name="innerException">The cause.</param>
    public CriuException(string message, Exception? innerException)
        : base(message, innerException)
    {
        LogExcerpt = "";
    }

    /// <summary>Creates the exception for a failed operation.</summary>
    /// <param name="host">The host it ran on.</param>
    /// <param name="operation">What was being done.</param>
    /// <param name="command">The command line, if one ran.</param>
    /// <param name="exitCode">Its exit status.</param>
    /// <param name="summary">What failed, in a sentence, with what to do when known.</param>
    /// <param name="logExcerpt">The lines of CRIU's log (or the command's output) that say why; may be empty.</param>
    /// <param name="innerException">The cause, if any.</param>
    public CriuException(
        string host, CriuOperation operation, string? command, int exitCode, string summary, string logExcerpt, Exception? innerException = null)
        : base(
            $"CRIU {Describe(operation)} failed on {host} (exit status {exitCode}): {summary}" +
            (string.IsNullOrWhiteSpace(logExcerpt) ? "" : "\n" + logExcerpt.TrimEnd()),
            host,
            command,
            logExcerpt ?? "",
            innerException)
    {
        Operation = operation;
        ExitCode = exitCode;
        LogExcerpt = logExcerpt ?? "";
    }

    /// <summary>What was being done.</summary>
    public CriuOperation Operation { get; }

    /// <summary>The exit status of the command that failed.</summary>
    public int ExitCode { get; }

    /// <summary>The lines of CRIU's log (errors first, then its last lines) that say why.</summary>
    public string LogExcerpt { get; }

    private static string Describe(CriuOperation operation) => operation switch
    {
        CriuOperation.Check => "check",
        CriuOperation.CpuInfo => "CPU compatibility check",
        CriuOperation.Dump => "dump",
        CriuOperation.Resume => "resume after dump",
        CriuOperation.ShipImages => "image transfer",
        CriuOperation.ReleaseNetworkLock => "network lock release",
        CriuOperation.PageServer => "page server",
        CriuOperation.LazyPages => "lazy-pages daemon",
        CriuOperation.PreDump => "pre-dump",
        _ => "restore",
    };
}
