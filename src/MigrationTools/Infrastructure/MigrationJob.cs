using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Threading;
using MigrationTools.Infrastructure;

namespace MigrationTools;

/// <summary>
/// What the migration cmdlets write with <c>-AsJob</c>: the command, run in the background for the inputs it confirmed,
/// in a runspace of its own in this process. Its results (Migration objects, live, not deserialized), errors, warnings,
/// verbose messages and progress are kept in the job's streams for <c>Receive-Job</c>; <c>Stop-Job</c> cancels it as
/// Ctrl+C cancels the command in the foreground (a switch under way is rolled back first).
/// </summary>
/// <remarks>
/// The inputs run one after another, each as the command itself with <c>-Confirm:$false</c>: what to do was confirmed
/// on the pipeline thread before the job started, and nothing in the job prompts. The job ends Completed when every
/// input succeeded, Failed when any wrote an error (kept in its Error stream) and Stopped after
/// <c>Stop-Job</c>.
/// </remarks>
public sealed class MigrationJob : Job
{
    /// <summary>The <c>PSJobTypeName</c> of these jobs, for <c>Get-Job -JobTypeName</c>.</summary>
    public const string JobTypeName = "MigrationJob";

    /// <summary>
    /// The variable that hands the job's warnings to the command it runs, for what the command must tell even while
    /// it is being stopped (what the engine says of a migration it rolled back), when its pipeline takes no more
    /// records.
    /// </summary>
    internal const string WarningsVariable = "MigrationToolsJobWarnings";

    private readonly PowerShell _powerShell;
    private readonly string _location;
    private readonly object _gate = new();
    private bool _started;
    private int _errorsWritten;
    private bool _disposed;

    private MigrationJob(string command, string name, string location, PowerShell powerShell, PSDataCollection<WarningRecord> warnings)
        : base(command, name)
    {
        Warning = warnings;
        PSJobTypeName = JobTypeName;
        _location = location;
        _powerShell = powerShell;
        _powerShell.Streams.Error = Error;
        _powerShell.Streams.Warning = Warning;
        _powerShell.Streams.Verbose = Verbose;
        _powerShell.Streams.Debug = Debug;
        _powerShell.Streams.Progress = Progress;
        _powerShell.Streams.Information = Information;
        _powerShell.InvocationStateChanged += OnInvocationStateChanged;

        // Counted as they come: Receive-Job empties the stream while the job runs.
        Error.DataAdded += OnErrorAdded;
    }

    /// <summary>The hosts the job's migrations run between, such as <c>h1 -&gt; h2</c>.</summary>
    public override string Location => _location;

    /// <summary>True while results, errors or other records wait for <c>Receive-Job</c>.</summary>
    public override bool HasMoreData =>
        Output.Count > 0 || Error.Count > 0 || Warning.Count > 0 || Verbose.Count > 0 || Progress.Count > 0 || Debug.Count > 0 || Information.Count > 0;

    /// <summary>The job's state, in words.</summary>
    public override string StatusMessage => JobStateInfo.State.ToString();

    /// <summary>
    /// Starts the job: a runspace that knows only <paramref name="cmdlet"/> (and PowerShell's core commands) runs each
    /// invocation in turn.
    /// </summary>
    /// <param name="cmdlet">The command, as its cmdlet.</param>
    /// <param name="invocations">One set of parameters per input.</param>
    /// <param name="name">The job's name.</param>
    /// <param name="location">The hosts concerned.</param>
    /// <returns>The running job.</returns>
    internal static MigrationJob Start(CmdletInfo cmdlet, IReadOnlyList<JobInvocation> invocations, string name, string location)
    {
        if (cmdlet is null)
        {
            throw new ArgumentNullException(nameof(cmdlet));
        }

        if (invocations is null || invocations.Count == 0)
        {
            throw new ArgumentException("A job needs at least one invocation.", nameof(invocations));
        }

        var warnings = new PSDataCollection<WarningRecord>();
        var state = InitialSessionState.CreateDefault2();
        state.Commands.Add(new SessionStateCmdletEntry(cmdlet.Name, cmdlet.ImplementingType, cmdlet.HelpFile));
        state.Variables.Add(new SessionStateVariableEntry(WarningsVariable, warnings, "The warnings of the job this runspace runs.", ScopedItemOptions.ReadOnly));
        var powerShell = PowerShell.Create(state);
        foreach (var invocation in invocations)
        {
            powerShell.AddCommand(cmdlet.Name).AddParameters(invocation.Parameters).AddStatement();
        }

        var job = new MigrationJob(string.Join("; ", invocations.Select(i => i.CommandLine)), name, location, powerShell, warnings);
        job.Begin();
        return job;
    }

    /// <summary>Stops the job: the running command is cancelled as by Ctrl+C, and this returns once it has ended.</summary>
    public override void StopJob()
    {
        lock (_gate)
        {
            if (_disposed || IsFinished(JobStateInfo.State))
            {
                return;
            }

            SetJobState(JobState.Stopping);
        }

        _powerShell.Stop();
    }

    /// <summary>Releases the job's runspace.</summary>
    /// <param name="disposing">True when called from <c>Dispose()</c>.</param>
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            lock (_gate)
            {
                _disposed = true;
            }

            _powerShell.InvocationStateChanged -= OnInvocationStateChanged;
            Error.DataAdded -= OnErrorAdded;
            if (!IsFinished(JobStateInfo.State) && _started)
            {
                _powerShell.Stop();
            }

            var runspace = _powerShell.Runspace;
            _powerShell.Dispose();
            runspace?.Dispose();
        }

        base.Dispose(disposing);
    }

    private static bool IsFinished(JobState state) => state is JobState.Completed or JobState.Failed or JobState.Stopped;

    private void Begin()
    {
        SetJobState(JobState.Running);
        _started = true;
        _powerShell.BeginInvoke<PSObject, PSObject>(null, Output);
    }

    private void OnErrorAdded(object? sender, DataAddedEventArgs e) => Interlocked.Increment(ref _errorsWritten);

    private void OnInvocationStateChanged(object? sender, PSInvocationStateChangedEventArgs e)
    {
        var info = e.InvocationStateInfo;
        switch (info.State)
        {
            case PSInvocationState.Completed when Volatile.Read(ref _errorsWritten) == 0:
                SetJobState(JobState.Completed);
                break;
            case PSInvocationState.Completed:
                SetJobState(JobState.Failed);
                break;
            case PSInvocationState.Failed:
                // A terminating error ended the command: it joins the job's errors as the command wrote it.
                if (info.Reason is IContainsErrorRecord { ErrorRecord: { } record })
                {
                    Error.Add(record);
                }

                SetJobState(JobState.Failed);
                break;
            case PSInvocationState.Stopped:
                SetJobState(JobState.Stopped);
                break;
            default:
                return;
        }
    }
}
