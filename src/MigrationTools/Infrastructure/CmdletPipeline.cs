using System;
using System.Management.Automation;

namespace MigrationTools.Infrastructure;

/// <summary>
/// A cmdlet's calls into PowerShell, made from any thread of its asynchronous steps: each one runs on the pipeline
/// thread through the step's <see cref="PipelineDispatcher"/> (at once outside a step). <see cref="AsyncCmdlet"/> owns
/// one and forwards its write and confirmation methods to it; helpers the cmdlet composes (such as
/// <see cref="MigrationRunner"/>) receive it instead of the cmdlet.
/// </summary>
internal sealed class CmdletPipeline
{
    private readonly PSCmdlet _cmdlet;
    private volatile PipelineDispatcher? _dispatcher;

    /// <summary>Creates the pipeline of <paramref name="cmdlet"/>.</summary>
    /// <param name="cmdlet">The cmdlet whose PowerShell methods are called.</param>
    public CmdletPipeline(PSCmdlet cmdlet) => _cmdlet = cmdlet ?? throw new ArgumentNullException(nameof(cmdlet));

    /// <summary>The command's name, such as <c>Get-Workload</c>, for messages and the progress bar's id.</summary>
    public string CommandName => _cmdlet.MyInvocation?.MyCommand?.Name ?? _cmdlet.GetType().Name;

    /// <summary>The cmdlet as PowerShell knows it, for a job that runs it again.</summary>
    public CmdletInfo Command => (CmdletInfo)_cmdlet.MyInvocation.MyCommand;

    /// <summary>True on a worker thread of a running step, where PowerShell must not be called directly.</summary>
    public bool IsWorkerThread => _dispatcher is { IsPumpThread: false };

    /// <summary>Runs one step of the cmdlet: <paramref name="step"/> on the thread pool, this pipeline served meanwhile.</summary>
    /// <param name="step">The step.</param>
    public void RunStep(Func<System.Threading.Tasks.Task> step)
    {
        try
        {
            PipelineDispatcher.Run(dispatcher =>
            {
                _dispatcher = dispatcher;
                return step();
            });
        }
        finally
        {
            _dispatcher = null;
        }
    }

    /// <summary>Runs <paramref name="function"/> on the pipeline thread and returns its result.</summary>
    /// <typeparam name="T">The result's type.</typeparam>
    /// <param name="function">A call into PowerShell.</param>
    /// <returns>What <paramref name="function"/> returned; its exception is rethrown here.</returns>
    public T Invoke<T>(Func<T> function) => _dispatcher is { } dispatcher ? dispatcher.Invoke(function) : function();

    /// <summary>Runs <paramref name="action"/> on the pipeline thread and waits for it.</summary>
    /// <param name="action">A call into PowerShell.</param>
    public void Invoke(Action action)
    {
        if (_dispatcher is { } dispatcher)
        {
            dispatcher.Invoke(action);
        }
        else
        {
            action();
        }
    }

    /// <summary>
    /// Queues <paramref name="action"/> for the pipeline thread without waiting, for what must never hold a worker up
    /// (the engine's progress); it must not throw. Dropped once the step has ended.
    /// </summary>
    /// <param name="action">A call into PowerShell.</param>
    public void Post(Action action)
    {
        if (_dispatcher is { } dispatcher)
        {
            _ = dispatcher.Post(action);
        }
        else
        {
            action();
        }
    }

    /// <summary>Writes an object, or each element of a collection, to the pipeline.</summary>
    /// <param name="sendToPipeline">The object.</param>
    /// <param name="enumerateCollection">True to write a collection's elements one by one.</param>
    public void WriteObject(object? sendToPipeline, bool enumerateCollection) =>
        Invoke(() => _cmdlet.WriteObject(sendToPipeline, enumerateCollection));

    /// <summary>Writes an object to the pipeline.</summary>
    /// <param name="sendToPipeline">The object.</param>
    public void WriteObject(object? sendToPipeline) => Invoke(() => _cmdlet.WriteObject(sendToPipeline));

    /// <summary>Writes a non-terminating error.</summary>
    /// <param name="errorRecord">The error.</param>
    public void WriteError(ErrorRecord errorRecord) => Invoke(() => _cmdlet.WriteError(errorRecord));

    /// <summary>Writes a non-terminating error for <paramref name="exception"/>, classified by <see cref="EngineErrors"/>.</summary>
    /// <param name="exception">What was thrown.</param>
    /// <param name="target">What the cmdlet was working on; <see langword="null"/> for what the exception names.</param>
    public void WriteError(Exception exception, object? target) => WriteError(ErrorRecordFor(exception, target));

    /// <summary>Writes a warning.</summary>
    /// <param name="text">The warning.</param>
    public void WriteWarning(string text) => Invoke(() => _cmdlet.WriteWarning(text));

    /// <summary>Writes a verbose message.</summary>
    /// <param name="text">The message.</param>
    public void WriteVerbose(string text) => Invoke(() => _cmdlet.WriteVerbose(text));

    /// <summary>Writes a debug message.</summary>
    /// <param name="text">The message.</param>
    public void WriteDebug(string text) => Invoke(() => _cmdlet.WriteDebug(text));

    /// <summary>Writes a progress record.</summary>
    /// <param name="record">The record.</param>
    public void WriteProgress(ProgressRecord record) => Invoke(() => _cmdlet.WriteProgress(record));

    /// <summary>Asks whether to go on (-WhatIf, -Confirm).</summary>
    /// <param name="target">What would be changed.</param>
    /// <param name="action">What would be done to it; PowerShell's wording when <see langword="null"/>.</param>
    /// <returns>True to go on.</returns>
    public bool ShouldProcess(string target, string? action = null) =>
        Invoke(() => action is null ? _cmdlet.ShouldProcess(target) : _cmdlet.ShouldProcess(target, action));

    /// <summary>A PowerShell path as a file system path, relative to PowerShell's current location.</summary>
    /// <param name="path">The path as given.</param>
    /// <returns>The full path; the item need not exist.</returns>
    public string ResolvePath(string path) => Invoke(() => _cmdlet.GetUnresolvedProviderPathFromPSPath(path));

    /// <summary>Adds <paramref name="job"/> to the session's jobs (<c>Get-Job</c>) and writes it.</summary>
    /// <param name="job">The job, started.</param>
    public void WriteJob(Job job) => Invoke(() =>
    {
        _cmdlet.JobRepository.Add(job);
        _cmdlet.WriteObject(job);
    });

    /// <summary>A progress bar for this command, with the command's stable activity id.</summary>
    /// <param name="activity">What the command is doing, such as "Reading workloads".</param>
    /// <returns>The bar; dispose it to close it.</returns>
    public ProgressReporter StartProgress(string activity) =>
        StartProgress(activity, ProgressActivityId.For(CommandName), -1);

    /// <summary>A progress bar for this command with an id of its own, under another of its bars, such as a drain's bar per migration.</summary>
    /// <param name="activity">What the bar describes.</param>
    /// <param name="activityId">The bar's id (<see cref="ProgressActivityId"/>).</param>
    /// <param name="parentActivityId">The id of the bar this one sits under, or -1.</param>
    /// <returns>The bar; dispose it to close it.</returns>
    public ProgressReporter StartProgress(string activity, int activityId, int parentActivityId) =>
        new(WriteProgress, activityId, activity, parentActivityId, writeWhenStopped: WriteProgressToHost);

    /// <summary>
    /// Writes a warning straight to the host (or to the warnings of the job the command runs in), for what must be
    /// seen even though the pipeline is stopping and takes no more records.
    /// </summary>
    /// <param name="message">The warning.</param>
    public void WriteWarningToHost(string message) => Invoke(() =>
    {
        try
        {
            // In a job there is no host to tell: the job's warnings take the message instead.
            if (_cmdlet.SessionState.PSVariable.GetValue(MigrationJob.WarningsVariable) is PSDataCollection<WarningRecord> jobWarnings)
            {
                jobWarnings.Add(new WarningRecord(message));
                return;
            }

            _cmdlet.Host?.UI?.WriteWarningLine(message);
        }
#pragma warning disable CA1031 // A host that cannot show the warning must not hide the stop that is under way.
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    });

    /// <summary>The error record for <paramref name="exception"/>, as <see cref="EngineErrors"/> classifies it.</summary>
    /// <param name="exception">What was thrown.</param>
    /// <param name="target">What the cmdlet was working on; <see langword="null"/> for what the exception names.</param>
    /// <returns>The record.</returns>
    public static ErrorRecord ErrorRecordFor(Exception exception, object? target)
    {
        var classification = EngineErrors.Classify(exception, target);
        return new ErrorRecord(exception, classification.ErrorId, classification.Category, classification.TargetObject);
    }

    /// <summary>
    /// Hands a progress record straight to the host, under the source id PowerShell gave this command's earlier
    /// records (so the host closes the bar it drew), for when the stopping pipeline refuses WriteProgress.
    /// </summary>
    private void WriteProgressToHost(ProgressRecord record)
    {
        if (CommandSourceId.Of(_cmdlet.CommandRuntime) is not long sourceId)
        {
            return;
        }

        Invoke(() =>
        {
            try
            {
                _cmdlet.Host?.UI?.WriteProgress(sourceId, record);
            }
#pragma warning disable CA1031 // A host that cannot take the record must not hide the stop that is under way.
            catch (Exception)
#pragma warning restore CA1031
            {
            }
        });
    }
}
