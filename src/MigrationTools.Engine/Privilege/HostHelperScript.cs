using System;
using System.Linq;
using System.Text;
using MigrationTools.Engine.Remote;

namespace MigrationTools.Engine.Privilege;

/// <summary>
/// Renders <c>mt-host</c>, the root-owned POSIX <c>sh</c> helper a least-privilege host runs through
/// <c>sudo -n</c>: it checks each verb's arguments against <see cref="HostPolicy"/> and the verb's allowlist, then
/// runs the real program or the engine's own script. Everything it allows is fixed here, when it is rendered.
/// </summary>
public static class HostHelperScript
{
    /// <summary>The status the helper exits with when it refuses a command (as the shell's "cannot execute").</summary>
    public const int RefusedExitCode = 126;

    /// <summary>The start of every refusal the helper prints on standard error.</summary>
    public const string RefusalPrefix = "mt-host: refused ";

    /// <summary>The helper for <paramref name="policy"/>.</summary>
    /// <param name="policy">The dataset roots and directories the helper allows.</param>
    /// <returns>The script, ending in a newline.</returns>
    public static string Render(HostPolicy policy) => Render(policy, "exec \"$@\"");

    /// <summary>The verbs and what each allows, one per line: <c>verb: summary</c>.</summary>
    public static string Listing() => string.Join("\n", HostVerbs.All.Select(v => v.Name + ": " + v.Summary)) + "\n";

    /// <summary>
    /// The helper with <paramref name="run"/> as the body of <c>mt_run</c>, the function every verb ends in with the
    /// program's argument list. Tests print that list instead of running it; the checks are the same.
    /// </summary>
    internal static string Render(HostPolicy policy, string run)
    {
        if (policy is null)
        {
            throw new ArgumentNullException(nameof(policy));
        }

        var roots = policy.DatasetRoots.Select(r => ShellQuote.Quote(r.Value)).ToArray();
        var text = new StringBuilder();
        text.Append("#!/bin/sh\n");
        text.Append("# mt-host: runs the operations the MigrationTools engine needs as root, and nothing else.\n");
        text.Append("# Rendered by 'migrationtools host helper'; install it root-owned, mode 0755, at ").Append(policy.HelperPath).Append(".\n");
        text.Append("# Do not edit: render it again to change the dataset roots.\n");
        text.Append("set -f\numask 077\nPATH=/usr/sbin:/usr/bin:/sbin:/bin\nexport PATH\nunset CDPATH ENV\n");
        text.Append("mt_verb=${1-}\n");
        text.Append("roots=").Append(ShellQuote.Quote(string.Join(" ", policy.DatasetRoots.Select(r => r.Value)))).Append('\n');
        text.Append("images=").Append(ShellQuote.Quote(policy.ImageParent)).Append('\n');
        text.Append("manifests=").Append(ShellQuote.Quote(policy.Paths.ManifestDirectory)).Append('\n');
        text.Append("runtime=").Append(ShellQuote.Quote(policy.Paths.RuntimeDirectory)).Append('\n');
        foreach (var constant in HostVerbs.Constants)
        {
            text.Append("const_").Append(constant.Key).Append('=').Append(ShellQuote.Quote(constant.Value.Replace("\r\n", "\n"))).Append('\n');
        }

        text.Append("in_roots() { case $1 in ").Append(string.Join("|", roots.Select(r => r + "|" + r + "/*"))).Append(") return 0 ;; esac; return 1; }\n");
        text.Append("below_roots() { case $1 in ").Append(string.Join("|", roots.Select(r => r + "/*"))).Append(") return 0 ;; esac; return 1; }\n");
        text.Append("mt_run() { ").Append(run).Append("; }\n");
        text.Append(HostHelperLibrary.Functions.Replace("\r\n", "\n")).Append('\n');
        foreach (var verb in HostVerbs.All)
        {
            text.Append(verb.CheckFunction).Append("() {\n").Append(Indent(verb.Check)).Append("}\n");
            if (verb.Script is { } script)
            {
                text.Append(verb.ScriptVariable).Append('=').Append(ShellQuote.Quote(script.Replace("\r\n", "\n"))).Append('\n');
            }
        }

        text.Append("[ $# -gt 0 ] || refuse \"expects a verb\"\nshift\ncase $mt_verb in\n");
        foreach (var verb in HostVerbs.All)
        {
            text.Append("    ").Append(verb.Name).Append(") ").Append(verb.CheckFunction).Append(" \"$@\"; mt_run ");
            text.Append(verb.Program is { } program
                ? ShellQuote.Join(program) + (verb.TakesArguments ? " \"$@\"" : "")
                : "sh -c \"$" + verb.ScriptVariable + "\" sh \"$@\"");
            text.Append(" ;;\n");
        }

        text.Append("    *) refuse \"unknown verb $(show \"$mt_verb\")\" ;;\nesac\n");
        return text.ToString();
    }

    private static string Indent(string body) =>
        string.Concat(body.Replace("\r\n", "\n").Split('\n').Select(line => "    " + line + "\n"));
}
