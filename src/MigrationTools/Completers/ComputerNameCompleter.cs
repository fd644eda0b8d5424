using System;
using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace MigrationTools.Completers;

/// <summary>
/// Completes -ComputerName with the host aliases of the ssh_config the command will use: the file given to
/// -SshConfigFile when it is already on the command line, otherwise <c>~/.ssh/config</c>.
/// </summary>
public sealed class ComputerNameCompleter : IArgumentCompleter
{
    /// <summary>The candidates for the word being completed.</summary>
    /// <param name="commandName">The command.</param>
    /// <param name="parameterName">The parameter.</param>
    /// <param name="wordToComplete">What has been typed so far.</param>
    /// <param name="commandAst">The command line.</param>
    /// <param name="fakeBoundParameters">The parameters already on the command line.</param>
    /// <returns>The completions.</returns>
    public IEnumerable<CompletionResult> CompleteArgument(
        string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var hosts = SshConfigHosts.Read(ConfigFile(fakeBoundParameters));
        return ComputerNameCompletion.Complete(hosts, wordToComplete)
            .Select(c => new CompletionResult(c.Text, c.Text, CompletionResultType.ParameterValue, c.ToolTip))
            .ToArray();
    }

    private static string ConfigFile(IDictionary? boundParameters)
    {
        var given = boundParameters?["SshConfigFile"];
        if (given is PSObject wrapped)
        {
            given = wrapped.BaseObject;
        }

        if (given is string path && path.Length > 0)
        {
            // Completion runs without the session's location provider; a relative path is taken from the process's directory.
            return Path.GetFullPath(ExpandHome(path));
        }

        return Path.Combine(Home(), ".ssh", "config");
    }

    private static string ExpandHome(string path) =>
        path == "~" || path.StartsWith("~/", StringComparison.Ordinal) ? Home() + path.Substring(1) : path;

    private static string Home() =>
        Environment.GetEnvironmentVariable("HOME") is { Length: > 0 } home ? home : Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
}
