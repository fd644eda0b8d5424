using System;
using MigrationTools.Engine.Remote;

namespace MigrationTools.Engine.Workloads;

/// <summary>
/// Starting, stopping, inspecting or recording a workload, or reading or writing its manifest, failed on a host.
/// The message says what was being done, where, and what the host said (such as the end of the workload's log).
/// </summary>
public sealed class WorkloadException : RemoteException
{
    /// <summary>Creates an exception with a generic message.</summary>
    public WorkloadException()
        : this("A workload operation failed.")
    {
    }

    /// <summary>Creates an exception with a message.</summary>
    /// <param name="message">What happened.</param>
    public WorkloadException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with a message and its cause.</summary>
    /// <param name="message">What happened.</param>
    /// <param name="innerException">The cause.</param>
    public WorkloadException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for a command that failed.</summary>
    /// <param name="action">What was being done, such as "Starting workload web".</param>
    /// <param name="host">The host.</param>
    /// <param name="command">The command line.</param>
    /// <param name="exitCode">Its exit status.</param>
    /// <param name="standardError">What it printed on standard error.</param>
    public WorkloadException(string action, string host, string command, int exitCode, string standardError)
        : base(
            $"{action} on {host} failed (exit status {exitCode})" +
            (string.IsNullOrWhiteSpace(standardError) ? "." : ": " + Excerpt(standardError)),
            host,
            command,
            standardError)
    {
        ExitCode = exitCode;
    }

    /// <summary>The exit status of the command that failed.</summary>
    public int ExitCode { get; }

    /// <summary>Returns <paramref name="result"/> when it succeeded; otherwise throws for <paramref name="action"/>.</summary>
    internal static RemoteResult Check(RemoteResult result, string action) =>
        result.Succeeded ? result : throw new WorkloadException(action, result.Host, result.Command, result.ExitCode, result.StandardError);
}
