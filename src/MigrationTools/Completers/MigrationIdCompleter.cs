using System;
using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using MigrationTools.Engine.Journal;
using MigrationTools.Engine.Migrations;

namespace MigrationTools.Completers;

/// <summary>
/// Completes -Id with the migrations of the journal the command will use (-JournalPath when it is already on the
/// command line, otherwise the default journal), limited to those the command can act on. Only this machine's journal
/// files are read; no host is asked, and a journal that does not exist is not created.
/// </summary>
public sealed class MigrationIdCompleter : IArgumentCompleter
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
        IReadOnlyList<MigrationRecord> records;
        try
        {
            var directory = JournalDirectory(fakeBoundParameters);
            records = Directory.Exists(directory) ? new MigrationJournal(directory).List().Records : Array.Empty<MigrationRecord>();
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return Array.Empty<CompletionResult>();
        }

        return MigrationIdCompletion.Complete(records, commandName, wordToComplete)
            .Select(c => new CompletionResult(c.Text, c.Text, CompletionResultType.ParameterValue, c.ToolTip))
            .ToArray();
    }

    private static string JournalDirectory(IDictionary? boundParameters)
    {
        var given = boundParameters?["JournalPath"];
        if (given is PSObject wrapped)
        {
            given = wrapped.BaseObject;
        }

        if (given is string path && path.Length > 0)
        {
            // Completion runs without the session's location provider; a relative path is taken from the process's directory.
            return Path.GetFullPath(ExpandHome(path));
        }

        return Path.GetFullPath(MigrationJournal.DefaultDirectory());
    }

    private static string ExpandHome(string path) =>
        path == "~" || path.StartsWith("~/", StringComparison.Ordinal) ? Home() + path.Substring(1) : path;

    private static string Home() =>
        Environment.GetEnvironmentVariable("HOME") is { Length: > 0 } home ? home : Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
}
