using System;

namespace MigrationTools.Engine.Remote;

/// <summary>
/// sudo on the host refused a host helper verb: the login user's sudoers policy has no rule for it. The message
/// names the exact rule line to add.
/// </summary>
public sealed class SudoRuleMissingException : RemoteException
{
    /// <summary>Creates an exception with a generic message.</summary>
    public SudoRuleMissingException()
    {
    }

    /// <summary>Creates an exception with a message.</summary>
    /// <param name="message">What happened.</param>
    public SudoRuleMissingException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with a message and its cause.</summary>
    /// <param name="message">What happened.</param>
    /// <param name="innerException">The cause.</param>
    public SudoRuleMissingException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for the verb <paramref name="verb"/> of the helper at <paramref name="helperPath"/>.</summary>
    /// <param name="host">The destination.</param>
    /// <param name="command">The command that was to run.</param>
    /// <param name="standardError">sudo's messages.</param>
    /// <param name="user">The login user, or null when unknown.</param>
    /// <param name="helperPath">The helper's path.</param>
    /// <param name="verb">The verb sudo refused.</param>
    public SudoRuleMissingException(string host, string? command, string standardError, string? user, string helperPath, string verb)
        : base(Describe(host, user, helperPath, verb), host, command, standardError)
    {
        Verb = verb;
        Rule = RuleFor(user, helperPath, verb);
    }

    /// <summary>Where the sudoers rules for the helper are installed.</summary>
    public const string DefaultSudoersFile = "/etc/sudoers.d/migrationtools";

    /// <summary>The helper verb sudo refused.</summary>
    public string Verb { get; } = "";

    /// <summary>The sudoers line that allows it.</summary>
    public string Rule { get; } = "";

    private static string RuleFor(string? user, string helperPath, string verb)
    {
        var login = user is { Length: > 0 } ? user : "USER";
        try
        {
            return HostElevation.RuleFor(login, helperPath, verb);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            // A verb this engine does not know, or a name sudoers cannot take plainly: the rule's shape all the same.
            return $"{login} ALL=(root) NOPASSWD: {helperPath} {verb} *";
        }
    }

    private static string Describe(string host, string? user, string helperPath, string verb)
    {
        var login = user is { Length: > 0 } ? user : "USER";
        return $"sudo on {host} refused the host helper's verb '{verb}' for {login}: the sudoers policy has no rule for it. " +
            $"Add this line to {DefaultSudoersFile} on {host} (check it with visudo -cf):\n" +
            $"  {RuleFor(user, helperPath, verb)}\n" +
            $"'migrationtools host sudoers --user {login}' prints every rule the engine needs.";
    }
}
