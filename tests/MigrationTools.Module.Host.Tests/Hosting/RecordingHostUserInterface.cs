using System.Collections.ObjectModel;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Security;

namespace MigrationTools.Module.Host.Tests.Hosting;

/// <summary>
/// A host user interface that shows nothing and remembers everything: every question (answered with
/// <see cref="ChoiceAnswer"/>), every progress record, and every line written. PowerShell calls it from the pipeline
/// thread while a test reads it from another, so every list is guarded.
/// </summary>
public sealed class RecordingHostUserInterface : PSHostUserInterface
{
    private readonly object _gate = new();
    private readonly List<HostPrompt> _prompts = [];
    private readonly List<RecordedProgress> _progress = [];
    private readonly List<string> _lines = [];
    private readonly List<string> _warnings = [];

    /// <summary>The label (without its '&amp;' hot key) the host picks in PromptForChoice, such as "No" or "Yes".</summary>
    public string ChoiceAnswer { get; set; } = "No";

    /// <summary>Raised after each progress record is stored, on the thread that wrote it.</summary>
    public event EventHandler<RecordedProgress>? ProgressWritten;

    public override PSHostRawUserInterface? RawUI => null;

    public IReadOnlyList<HostPrompt> Prompts
    {
        get
        {
            lock (_gate)
            {
                return [.. _prompts];
            }
        }
    }

    public IReadOnlyList<RecordedProgress> Progress
    {
        get
        {
            lock (_gate)
            {
                return [.. _progress];
            }
        }
    }

    /// <summary>Lines written to the host, such as -WhatIf's "What if: ..." lines.</summary>
    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_gate)
            {
                return [.. _lines];
            }
        }
    }

    public IReadOnlyList<string> Warnings
    {
        get
        {
            lock (_gate)
            {
                return [.. _warnings];
            }
        }
    }

    /// <summary>Forgets what was recorded, between two commands of one test.</summary>
    public void Clear()
    {
        lock (_gate)
        {
            _prompts.Clear();
            _progress.Clear();
            _lines.Clear();
            _warnings.Clear();
        }
    }

    public override int PromptForChoice(string caption, string message, Collection<ChoiceDescription> choices, int defaultChoice)
    {
        var labels = choices.Select(c => c.Label.Replace("&", "", StringComparison.Ordinal)).ToArray();
        Record(_prompts, new HostPrompt(HostPromptKind.Choice, caption, message, labels));
        var answer = Array.FindIndex(labels, l => string.Equals(l, ChoiceAnswer, StringComparison.OrdinalIgnoreCase));
        return answer >= 0
            ? answer
            : throw new InvalidOperationException($"The test's host answers '{ChoiceAnswer}', which is not among: {string.Join(", ", labels)}.");
    }

    public override Dictionary<string, PSObject> Prompt(string caption, string message, Collection<FieldDescription> descriptions)
    {
        Record(_prompts, new HostPrompt(HostPromptKind.Fields, caption, message, [.. descriptions.Select(d => d.Name)]));
        throw new PromptingException("The test's host answers no prompt for values.");
    }

    public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName) =>
        PromptForCredential(caption, message, userName, targetName, PSCredentialTypes.Default, PSCredentialUIOptions.None);

    public override PSCredential PromptForCredential(
        string caption, string message, string userName, string targetName, PSCredentialTypes allowedCredentialTypes, PSCredentialUIOptions options)
    {
        Record(_prompts, new HostPrompt(HostPromptKind.Fields, caption, message, ["Credential"]));
        throw new PromptingException("The test's host answers no prompt for a credential.");
    }

    public override string ReadLine()
    {
        Record(_prompts, new HostPrompt(HostPromptKind.Line, "", "", []));
        return "";
    }

    public override SecureString ReadLineAsSecureString()
    {
        Record(_prompts, new HostPrompt(HostPromptKind.Line, "", "", []));
        return new SecureString();
    }

    public override void WriteProgress(long sourceId, ProgressRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);

        // PowerShell may reuse the record it was given; keep a copy of what it said at this moment.
        var copy = new RecordedProgress(sourceId, new ProgressRecord(record.ActivityId, record.Activity, record.StatusDescription)
        {
            ParentActivityId = record.ParentActivityId,
            PercentComplete = record.PercentComplete,
            SecondsRemaining = record.SecondsRemaining,
            CurrentOperation = record.CurrentOperation,
            RecordType = record.RecordType,
        });
        Record(_progress, copy);
        ProgressWritten?.Invoke(this, copy);
    }

    public override void Write(string value) => Record(_lines, value);

    public override void Write(ConsoleColor foregroundColor, ConsoleColor backgroundColor, string value) => Record(_lines, value);

    public override void WriteLine(string value) => Record(_lines, value);

    public override void WriteErrorLine(string value) => Record(_lines, value);

    public override void WriteDebugLine(string message) => Record(_lines, message);

    public override void WriteVerboseLine(string message) => Record(_lines, message);

    public override void WriteWarningLine(string message) => Record(_warnings, message);

    public override void WriteInformation(InformationRecord record) => Record(_lines, record?.MessageData?.ToString() ?? "");

    private void Record<T>(List<T> list, T item)
    {
        lock (_gate)
        {
            list.Add(item);
        }
    }
}
