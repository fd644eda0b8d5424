using System;
using System.Linq;
using System.Text;
using MigrationTools.Engine.Remote;

namespace MigrationTools.Engine.Privilege;

/// <summary>
/// The sudoers rules a least-privilege login user needs: one per helper verb, so sudo itself pins the verb, and the
/// helper checks every further argument (a sudoers <c>*</c> matches spaces too, so it cannot bound them).
/// </summary>
public static class SudoersPolicy
{
    /// <summary>The file the rules belong in.</summary>
    public const string DefaultFile = SudoRuleMissingException.DefaultSudoersFile;

    /// <summary>The rules for <paramref name="user"/>, with a header saying how to install them.</summary>
    /// <param name="user">The login user the engine connects as.</param>
    /// <param name="helperPath">Where the helper is installed.</param>
    /// <returns>The sudoers text, ending in a newline.</returns>
    /// <exception cref="ArgumentException"><paramref name="user"/> is not a plain user name, or the path is not plain and absolute.</exception>
    public static string Render(string user, string helperPath = HostPolicy.DefaultHelperPath)
    {
        CheckUser(user);
        CheckHelper(helperPath);
        var text = new StringBuilder();
        text.Append("# MigrationTools: the commands the engine runs as root for ").Append(user).Append(", and nothing else.\n");
        text.Append("# Check with 'visudo -cf FILE', then install as ").Append(DefaultFile).Append(" (root, mode 0440).\n");
        text.Append("# The helper ").Append(helperPath).Append(" checks every argument after the verb.\n");
        text.Append("Defaults:").Append(user).Append(" !requiretty\n");
        foreach (var verb in HostVerbs.All)
        {
            text.Append(Rule(user, helperPath, verb.Name)).Append('\n');
        }

        return text.ToString();
    }

    /// <summary>The rule that allows <paramref name="user"/> the verb <paramref name="verb"/> of the helper at <paramref name="helperPath"/>.</summary>
    /// <param name="user">The login user.</param>
    /// <param name="helperPath">Where the helper is installed.</param>
    /// <param name="verb">The helper verb.</param>
    /// <returns>The rule line.</returns>
    public static string Rule(string user, string helperPath, string verb)
    {
        CheckUser(user);
        CheckHelper(helperPath);
        var known = HostVerbs.Find(verb) ?? throw new ArgumentException($"{SafeText.Show(verb)} is not a helper verb.", nameof(verb));
        var helper = helperPath;

        // Arguments in a rule must match the whole argument list: "VERB" alone allows exactly no further argument, and
        // "VERB *" one or more (never none), bounded by the helper's checks.
        var commands = new[] { known.MayTakeNoArguments ? "" : null, known.TakesArguments ? " *" : null }
            .Where(arguments => arguments is not null)
            .Select(arguments => $"{helper} {known.Name}{arguments}");
        return $"{user} ALL=(root) NOPASSWD: " + string.Join(", ", commands);
    }

    private static void CheckHelper(string helperPath)
    {
        if (HostPolicy.HelperPathError(helperPath) is { } error)
        {
            throw new ArgumentException(error, nameof(helperPath));
        }
    }

    private static void CheckUser(string user)
    {
        // "ALL" is a sudoers keyword: it would grant the rules to every user.
        if (string.IsNullOrEmpty(user) || user.Length > 32 || user[0] == '-' || user == "ALL"
            || !user.All(c => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c is '_' or '-' or '.'))
        {
            throw new ArgumentException(
                $"{SafeText.Show(user)} is not a user name sudoers can name plainly: use letters, digits, '_', '-' and '.', such as migrator.",
                nameof(user));
        }
    }
}
