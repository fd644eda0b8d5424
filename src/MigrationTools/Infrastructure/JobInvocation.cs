using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;

namespace MigrationTools.Infrastructure;

/// <summary>
/// One confirmed input of a command run with <c>-AsJob</c>: the parameters the command runs with in the job, which are
/// the ones it was given for that input, with paths made absolute, without <c>-AsJob</c>, <c>-WhatIf</c> and the
/// variables of the caller's session, and with <c>-Confirm:$false</c>, since the input was confirmed already.
/// </summary>
internal sealed class JobInvocation
{
    /// <summary>Parameters that do not cross into the job: the job itself, the confirmation, and variables of the caller's session.</summary>
    private static readonly string[] NotCarried =
    [
        "AsJob", "WhatIf", "Confirm",
        "OutVariable", "ErrorVariable", "WarningVariable", "InformationVariable", "PipelineVariable", "OutBuffer",
    ];

    private JobInvocation(string commandName, Hashtable parameters)
    {
        Parameters = parameters;
        CommandLine = commandName + string.Concat(parameters.Keys.Cast<string>().OrderBy(k => k, StringComparer.Ordinal).Select(k => Render(k, parameters[k])));
    }

    /// <summary>The parameters, by name.</summary>
    public Hashtable Parameters { get; }

    /// <summary>How the invocation reads as a command, for the job's <c>Command</c>, such as <c>Sync-Migration -Confirm:$false -Id m-0123456789ab</c>.</summary>
    public string CommandLine { get; }

    /// <summary>The invocation of <paramref name="commandName"/> for the current input.</summary>
    /// <param name="commandName">The command.</param>
    /// <param name="bound">The parameters bound for the current input, from the command line and the pipeline.</param>
    /// <param name="overrides">Values that replace the bound ones, such as a path made absolute or one id of several.</param>
    /// <returns>The invocation.</returns>
    public static JobInvocation For(string commandName, IDictionary<string, object?> bound, IDictionary<string, object?> overrides)
    {
        if (bound is null)
        {
            throw new ArgumentNullException(nameof(bound));
        }

        if (overrides is null)
        {
            throw new ArgumentNullException(nameof(overrides));
        }

        var parameters = new Hashtable(StringComparer.OrdinalIgnoreCase);
        foreach (var pair in bound.Where(p => !NotCarried.Contains(p.Key, StringComparer.OrdinalIgnoreCase)))
        {
            parameters[pair.Key] = pair.Value;
        }

        foreach (var pair in overrides.Where(p => p.Value is not null))
        {
            parameters[pair.Key] = pair.Value;
        }

        parameters["Confirm"] = new SwitchParameter(false);
        return new JobInvocation(commandName, parameters);
    }

    private static string Render(string name, object? value)
    {
        var unwrapped = value is PSObject wrapped ? wrapped.BaseObject : value;
        return unwrapped switch
        {
            SwitchParameter { IsPresent: true } => $" -{name}",
            SwitchParameter => $" -{name}:$false",
            bool flag => $" -{name}:${flag.ToString().ToLowerInvariant()}",
            string text => $" -{name} {Quote(text)}",
            string[] texts => $" -{name} {string.Join(",", texts.Select(Quote))}",
            Enum or int or long => string.Format(CultureInfo.InvariantCulture, " -{0} {1}", name, unwrapped),
            PSCredential credential => $" -{name} (credential of {Quote(credential.UserName)})",
            null => "",
            _ => $" -{name} <{unwrapped.GetType().Name}>",
        };
    }

    private static string Quote(string text) =>
        text.Length > 0 && text.All(c => char.IsLetterOrDigit(c) || c is '-' or '_' or '.' or '/' or '@' or ':')
            ? text
            : "'" + text.Replace("'", "''") + "'";
}
