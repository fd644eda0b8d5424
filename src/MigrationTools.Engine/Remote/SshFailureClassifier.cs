using System;
using System.Text.RegularExpressions;

namespace MigrationTools.Engine.Remote;

/// <summary>
/// Tells from ssh's exit status and standard error what went wrong: the connection (host key, login,
/// network), sudo, or the command itself. Pure, so it is tested on recorded messages.
/// </summary>
internal static class SshFailureClassifier
{
    // How HostElevation's stages read once quoted: 'sudo' '-n' '--' 'HELPER' 'VERB'.
    private static readonly Regex HelperVerb = new("'sudo' '-n' '--' '(/[^']+)' '([a-z0-9-]+)'", RegexOptions.CultureInvariant);

    /// <summary>The exit status ssh uses for its own errors (a remote command may also exit 255).</summary>
    public const int SshErrorExitCode = 255;

    /// <summary>
    /// The failure that <paramref name="exitCode"/> and <paramref name="standardError"/> describe, or
    /// <see langword="null"/> when the command succeeded.
    /// </summary>
    /// <param name="host">The destination, for the message.</param>
    /// <param name="command">The command line, for the message.</param>
    /// <param name="exitCode">ssh's exit status.</param>
    /// <param name="standardError">ssh's standard error: its own messages and the remote command's.</param>
    /// <param name="user">The remote login user, named in a missing sudo rule; null when unknown.</param>
    /// <returns>A typed exception, <see cref="RemoteCommandFailedException"/> when nothing more specific fits.</returns>
    public static RemoteException? Classify(string host, string? command, int exitCode, string standardError, string? user = null)
    {
        if (exitCode == 0)
        {
            return null;
        }

        var text = standardError ?? "";
        if (exitCode == SshErrorExitCode)
        {
            var failure = ClassifySsh(host, command, text);
            if (failure is not null)
            {
                return failure;
            }
        }

        var sudoRefused = Contains(text, "sudo: a password is required")
            || Contains(text, "sudo: a terminal is required")
            || Contains(text, "sudo: no tty present");
        if ((sudoRefused || (Contains(text, "is not allowed to execute") && Contains(text, "Sorry, user ")))
            && HelperVerb.Match(command ?? "") is { Success: true } helper)
        {
            return new SudoRuleMissingException(host, command, text, user, helper.Groups[1].Value, helper.Groups[2].Value);
        }

        if (sudoRefused)
        {
            return new SudoPasswordRequiredException(host, command, text);
        }

        return new RemoteCommandFailedException(host, command ?? "", exitCode, text);
    }

    /// <summary>True for failures that happen before or around a command, not in it.</summary>
    public static bool IsConnectionLevel(RemoteException failure) => failure is not RemoteCommandFailedException;

    private static RemoteException? ClassifySsh(string host, string? command, string text)
    {
        if (Contains(text, "REMOTE HOST IDENTIFICATION HAS CHANGED")
            || (Contains(text, "Host key for ") && Contains(text, " has changed"))
            || Contains(text, "POSSIBLE DNS SPOOFING DETECTED"))
        {
            return new HostKeyChangedException(host, command, text);
        }

        if (Contains(text, "Host key verification failed")
            || (Contains(text, "host key is known for") && Contains(text, "No ")))
        {
            return new HostKeyUnknownException(host, command, text);
        }

        if (Contains(text, ": Permission denied (") || Contains(text, "Too many authentication failures"))
        {
            return new AuthenticationFailedException(host, command, text);
        }

        var reason = ConnectionReason(text);
        return reason is { } r ? new ConnectionFailedException(host, command, r, text) : null;
    }

    private static ConnectionFailure? ConnectionReason(string text)
    {
        if (Contains(text, "Could not resolve hostname")
            || Contains(text, "Name or service not known")
            || Contains(text, "Temporary failure in name resolution")
            || Contains(text, "nodename nor servname provided"))
        {
            return ConnectionFailure.NameResolution;
        }

        if (!Contains(text, "ssh: connect to host") && !Contains(text, "kex_exchange_identification")
            && !Contains(text, "Connection closed by") && !Contains(text, "Connection reset by")
            && !Contains(text, "Connection timed out during banner exchange"))
        {
            return null;
        }

        if (Contains(text, "Connection refused"))
        {
            return ConnectionFailure.Refused;
        }

        if (Contains(text, "No route to host") || Contains(text, "Network is unreachable"))
        {
            return ConnectionFailure.Unreachable;
        }

        if (Contains(text, "timed out"))
        {
            return ConnectionFailure.TimedOut;
        }

        if (Contains(text, "Connection closed") || Contains(text, "Connection reset") || Contains(text, "kex_exchange_identification"))
        {
            return ConnectionFailure.Closed;
        }

        return ConnectionFailure.Other;
    }

    private static bool Contains(string text, string value) => text.IndexOf(value, StringComparison.Ordinal) >= 0;
}
