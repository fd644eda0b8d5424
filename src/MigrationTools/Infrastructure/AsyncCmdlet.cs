using System;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;

namespace MigrationTools.Infrastructure;

/// <summary>
/// The base of the module's cmdlets: each step (begin, process, end) is asynchronous code that runs on the thread
/// pool while PowerShell's pipeline thread serves the step's <see cref="PipelineDispatcher"/>; Ctrl+C
/// (<see cref="StopProcessing"/>) cancels the token every step receives, which ends the engine calls and the remote
/// commands they started.
/// </summary>
/// <remarks>
/// <para>
/// Every call into PowerShell a step makes goes through the cmdlet's <see cref="CmdletPipeline"/> to the pipeline
/// thread: this class hides PowerShell's write, confirmation and path methods with versions that hand the call over
/// and wait for it, so a step writes output, errors and progress, and asks <c>ShouldProcess</c>, as any cmdlet does,
/// from however many workers at once.
/// </para>
/// <para>
/// A step that throws ends the command with a terminating error under the identifier <see cref="EngineErrors"/>
/// gives the exception; a cancellation caused by Ctrl+C ends it as stopped. Failures that concern one input only are
/// reported with <see cref="WriteError(Exception, object)"/> and the step goes on.
/// </para>
/// </remarks>
public abstract class AsyncCmdlet : PSCmdlet, IDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private bool _disposed;

    /// <summary>Creates the cmdlet and its way to the pipeline thread.</summary>
    protected AsyncCmdlet() => Pipeline = new CmdletPipeline(this);

    /// <summary>Cancelled when the user presses Ctrl+C or the pipeline is stopped.</summary>
    protected CancellationToken StoppingToken => _stopping.Token;

    /// <summary>The command's name, such as <c>Get-Workload</c>, for messages and the progress bar's id.</summary>
    protected string CommandName => Pipeline.CommandName;

    /// <summary>The cmdlet's calls into PowerShell, from any thread; what the cmdlet composes receives it.</summary>
    internal CmdletPipeline Pipeline { get; }

    /// <summary>Releases the cancellation source.</summary>
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Runs <see cref="BeginProcessingAsync"/>.</summary>
    protected sealed override void BeginProcessing() => RunStep(BeginProcessingAsync);

    /// <summary>Runs <see cref="ProcessRecordAsync"/>.</summary>
    protected sealed override void ProcessRecord() => RunStep(ProcessRecordAsync);

    /// <summary>Runs <see cref="EndProcessingAsync"/>.</summary>
    protected sealed override void EndProcessing() => RunStep(EndProcessingAsync);

    /// <summary>Cancels the running step's engine calls. PowerShell calls this from another thread.</summary>
    protected sealed override void StopProcessing()
    {
        try
        {
            _stopping.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The command had already ended.
        }
    }

    /// <summary>The begin step, once before any input.</summary>
    /// <param name="cancellationToken">Cancelled by Ctrl+C.</param>
    /// <returns>The step's task.</returns>
    protected virtual Task BeginProcessingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>The process step, once per input (or once without pipeline input).</summary>
    /// <param name="cancellationToken">Cancelled by Ctrl+C.</param>
    /// <returns>The step's task.</returns>
    protected virtual Task ProcessRecordAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>The end step, once after all input; not run when the command was stopped or failed.</summary>
    /// <param name="cancellationToken">Cancelled by Ctrl+C.</param>
    /// <returns>The step's task.</returns>
    protected virtual Task EndProcessingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Releases what the command holds; PowerShell calls <see cref="Dispose()"/> when the command ends, however it ends.</summary>
    /// <param name="disposing">True when called from <see cref="Dispose()"/>.</param>
    protected virtual void Dispose(bool disposing)
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (disposing)
        {
            _stopping.Dispose();
        }
    }

    /// <summary>Writes an object to the pipeline, from any thread.</summary>
    /// <param name="sendToPipeline">The object.</param>
    protected new void WriteObject(object? sendToPipeline) => Pipeline.WriteObject(sendToPipeline);

    /// <summary>Writes an object, or each element of a collection, to the pipeline, from any thread.</summary>
    /// <param name="sendToPipeline">The object.</param>
    /// <param name="enumerateCollection">True to write a collection's elements one by one.</param>
    protected new void WriteObject(object? sendToPipeline, bool enumerateCollection) => Pipeline.WriteObject(sendToPipeline, enumerateCollection);

    /// <summary>Writes a non-terminating error, from any thread.</summary>
    /// <param name="errorRecord">The error.</param>
    protected new void WriteError(ErrorRecord errorRecord) => Pipeline.WriteError(errorRecord);

    /// <summary>
    /// Writes a non-terminating error for <paramref name="exception"/>, classified by <see cref="EngineErrors"/>, from
    /// any thread.
    /// </summary>
    /// <param name="exception">What was thrown.</param>
    /// <param name="target">What the cmdlet was working on; <see langword="null"/> for what the exception names.</param>
    protected void WriteError(Exception exception, object? target) => Pipeline.WriteError(exception, target);

    /// <summary>Writes a warning, from any thread.</summary>
    /// <param name="text">The warning.</param>
    protected new void WriteWarning(string text) => Pipeline.WriteWarning(text);

    /// <summary>Writes a verbose message, from any thread.</summary>
    /// <param name="text">The message.</param>
    protected new void WriteVerbose(string text) => Pipeline.WriteVerbose(text);

    /// <summary>Writes a debug message, from any thread.</summary>
    /// <param name="text">The message.</param>
    protected new void WriteDebug(string text) => Pipeline.WriteDebug(text);

    /// <summary>Writes a progress record, from any thread.</summary>
    /// <param name="progressRecord">The record.</param>
    protected new void WriteProgress(ProgressRecord progressRecord) => Pipeline.WriteProgress(progressRecord);

    /// <summary>Asks whether to go on (-WhatIf, -Confirm), from any thread.</summary>
    /// <param name="target">What would be changed.</param>
    /// <returns>True to go on.</returns>
    protected new bool ShouldProcess(string target) => Pipeline.ShouldProcess(target);

    /// <summary>Asks whether to go on (-WhatIf, -Confirm), from any thread.</summary>
    /// <param name="target">What would be changed.</param>
    /// <param name="action">What would be done to it.</param>
    /// <returns>True to go on.</returns>
    protected new bool ShouldProcess(string target, string action) => Pipeline.ShouldProcess(target, action);

    /// <summary>A PowerShell path as a file system path, relative to PowerShell's current location, from any thread.</summary>
    /// <param name="path">The path as given; PowerShell refuses <see langword="null"/>, as its own method does.</param>
    /// <returns>The full path; the item need not exist.</returns>
    protected new string GetUnresolvedProviderPathFromPSPath(string? path) => Pipeline.ResolvePath(path!);

    /// <summary>Ends the command with <paramref name="errorRecord"/>, from any thread of a step.</summary>
    /// <param name="errorRecord">The error.</param>
    protected new void ThrowTerminatingError(ErrorRecord errorRecord)
    {
        if (Pipeline.IsWorkerThread)
        {
            // Carried out of the step and thrown on the pipeline thread by RunStep.
            throw new TerminatingErrorException(errorRecord);
        }

        base.ThrowTerminatingError(errorRecord);
    }

    /// <summary>
    /// True when an error the command writes would end it (-ErrorAction Stop, or $ErrorActionPreference Stop where
    /// the command runs), from any thread.
    /// </summary>
    /// <returns>Whether errors stop the command.</returns>
    internal bool ErrorsStopTheCommand() => Pipeline.Invoke(() =>
    {
        var preference = MyInvocation.BoundParameters.TryGetValue("ErrorAction", out var bound)
            ? bound
            : GetVariableValue("ErrorActionPreference");
        var value = preference is PSObject wrapped ? wrapped.BaseObject : preference;
        return string.Equals(value?.ToString(), nameof(ActionPreference.Stop), StringComparison.OrdinalIgnoreCase);
    });

    /// <summary>A progress bar for this command, with the command's stable activity id.</summary>
    /// <param name="activity">What the command is doing, such as "Reading workloads".</param>
    /// <returns>The bar; dispose it to close it.</returns>
    internal ProgressReporter StartProgress(string activity) => Pipeline.StartProgress(activity);

    /// <summary>
    /// True when <paramref name="exception"/> is a failure to report for one input and go on: not PowerShell's own
    /// (a stopped pipeline, -ErrorAction Stop) and not the cancellation Ctrl+C caused, nor a failure it caused.
    /// </summary>
    /// <param name="exception">What was thrown.</param>
    /// <param name="cancellationToken">The token the failed work ran under.</param>
    /// <returns>True to report it with <see cref="WriteError(Exception, object)"/>.</returns>
    internal static bool IsReportable(Exception exception, CancellationToken cancellationToken) =>
        exception is not (RuntimeException or TerminatingErrorException)
        && !(cancellationToken.IsCancellationRequested && IsCancellation(exception));

    /// <summary>
    /// True when <paramref name="exception"/> is a cancellation or was caused by one: an engine phase that was
    /// cancelled records that and throws a failure whose cause is the cancellation.
    /// </summary>
    /// <param name="exception">What was thrown.</param>
    /// <returns>Whether a cancellation is at its root.</returns>
    protected static bool IsCancellation(Exception? exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is OperationCanceledException)
            {
                return true;
            }
        }

        return false;
    }

    private void RunStep(Func<CancellationToken, Task> step)
    {
        try
        {
            Pipeline.RunStep(() => step(_stopping.Token));
        }
        catch (Exception error) when (_stopping.IsCancellationRequested && IsCancellation(error))
        {
            throw new PipelineStoppedException();
        }
        catch (TerminatingErrorException terminating)
        {
            base.ThrowTerminatingError(terminating.ErrorRecord);
        }
        catch (Exception error) when (error is not RuntimeException)
        {
            // An engine failure nothing in the step could handle ends the command under its stable identifier.
            base.ThrowTerminatingError(CmdletPipeline.ErrorRecordFor(error, null));
        }
    }

    /// <summary>Carries a terminating error from a worker thread to the pipeline thread.</summary>
    private sealed class TerminatingErrorException : Exception
    {
        public TerminatingErrorException(ErrorRecord errorRecord)
            : base(errorRecord.Exception?.Message)
        {
            ErrorRecord = errorRecord;
        }

        public ErrorRecord ErrorRecord { get; }
    }
}
