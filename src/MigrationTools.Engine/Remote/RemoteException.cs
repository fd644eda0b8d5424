using System;

namespace MigrationTools.Engine.Remote;

/// <summary>
/// Something went wrong reaching a host or running a command there. The subclasses say what; each message
/// names the host and how to fix the cause.
/// </summary>
public class RemoteException : Exception
{
    /// <summary>Creates an exception with a generic message.</summary>
    public RemoteException()
        : this("A remote operation failed.")
    {
    }

    /// <summary>Creates an exception with a message.</summary>
    /// <param name="message">What happened.</param>
    public RemoteException(string message)
        : this(message, null)
    {
    }

    /// <summary>Creates an exception with a message and its cause.</summary>
    /// <param name="message">What happened.</param>
    /// <param name="innerException">The cause.</param>
    public RemoteException(string message, Exception? innerException)
        : this(message, "", null, "", innerException)
    {
    }

    /// <summary>Creates an exception about a command on a host.</summary>
    /// <param name="message">What happened, where, and how to fix it.</param>
    /// <param name="host">The destination.</param>
    /// <param name="command">The command line, or <see langword="null"/> when none was being run.</param>
    /// <param name="standardError">The remote standard error and ssh's messages.</param>
    /// <param name="innerException">The cause, if any.</param>
    public RemoteException(string message, string host, string? command, string standardError, Exception? innerException = null)
        : base(message, innerException)
    {
        Host = host ?? "";
        Command = command;
        StandardError = standardError ?? "";
    }

    /// <summary>The destination the failure happened on.</summary>
    public string Host { get; }

    /// <summary>The command line being run, if any.</summary>
    public string? Command { get; }

    /// <summary>The tail of the remote standard error, including ssh's own messages.</summary>
    public string StandardError { get; }

    /// <summary>The last lines of <paramref name="standardError"/>, without control characters, for a message.</summary>
    internal static string Excerpt(string standardError, int maxLength = 1000)
    {
        var text = (standardError ?? "").Trim();
        if (text.Length > maxLength)
        {
            text = "..." + text.Substring(text.Length - maxLength);
        }

        var clean = new char[text.Length];
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            clean[i] = c == '\n' || !char.IsControl(c) ? c : ' ';
        }

        return new string(clean);
    }
}
