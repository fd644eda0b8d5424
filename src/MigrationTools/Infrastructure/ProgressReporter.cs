using System;
using System.Management.Automation;
using MigrationTools.Engine.Transfer;

namespace MigrationTools.Infrastructure;

/// <summary>
/// One progress bar of a cmdlet: a stable activity id, updates throttled to a few a second, and a Completed record
/// when it is disposed, so no bar is ever left on the screen. <c>$ProgressPreference</c> is honoured by
/// <c>WriteProgress</c> itself.
/// </summary>
/// <remarks>
/// Safe from several workers at once (one listing per host): reports are drawn one at a time, and none after the
/// Completed record. Each record reaches the pipeline thread through the cmdlet's WriteProgress.
/// </remarks>
internal sealed class ProgressReporter : IDisposable
{
    private readonly Action<ProgressRecord> _write;
    private readonly Action<ProgressRecord>? _writeWhenStopped;
    private readonly ProgressThrottle _throttle;
    private readonly int _parentActivityId;
    private readonly object _gate = new();
    private string _status;
    private bool _completed;

    /// <summary>Creates a bar; nothing is drawn until the first report.</summary>
    /// <param name="write">The cmdlet's WriteProgress.</param>
    /// <param name="activityId">The bar's id (<see cref="ProgressActivityId"/>).</param>
    /// <param name="activity">What the cmdlet is doing, such as "Reading workloads".</param>
    /// <param name="parentActivityId">The id of the bar this one sits under, or -1.</param>
    /// <param name="throttle">The throttle; the default interval when not given.</param>
    /// <param name="writeWhenStopped">Where the Completed record goes when the pipeline is stopping and refuses it.</param>
    public ProgressReporter(
        Action<ProgressRecord> write,
        int activityId,
        string activity,
        int parentActivityId = -1,
        ProgressThrottle? throttle = null,
        Action<ProgressRecord>? writeWhenStopped = null)
    {
        if (string.IsNullOrEmpty(activity))
        {
            throw new ArgumentException("A progress bar needs an activity.", nameof(activity));
        }

        _write = write ?? throw new ArgumentNullException(nameof(write));
        _writeWhenStopped = writeWhenStopped;
        ActivityId = activityId;
        Activity = activity;
        _parentActivityId = parentActivityId;
        _throttle = throttle ?? new ProgressThrottle();
        _status = activity;
    }

    /// <summary>The bar's id.</summary>
    public int ActivityId { get; }

    /// <summary>What the bar describes.</summary>
    public string Activity { get; private set; }

    /// <summary>Describes the bar anew from its next record on, such as a drain's bar once inputs from another host arrive.</summary>
    /// <param name="activity">What the bar describes now; not empty.</param>
    public void Rename(string activity)
    {
        if (string.IsNullOrEmpty(activity))
        {
            throw new ArgumentException("A progress bar needs an activity.", nameof(activity));
        }

        lock (_gate)
        {
            Activity = activity;
        }
    }

    /// <summary>Updates the bar, unless an update was drawn within the throttle's interval.</summary>
    /// <param name="status">The status line; not empty.</param>
    /// <param name="percentComplete">0-100, or -1 when unknown.</param>
    /// <param name="secondsRemaining">Seconds left, or -1 when unknown.</param>
    /// <param name="currentOperation">A line under the bar, such as the dataset being sent.</param>
    /// <param name="force">Draw it even within the interval, such as the first report of a new step; it still counts for the throttle.</param>
    public void Report(string status, int percentComplete = -1, int secondsRemaining = -1, string? currentOperation = null, bool force = false)
    {
        // Held while the record is written: the pipeline thread never waits for it, as a bar is drawn either by
        // workers or (a phase's bars) on the pipeline thread alone.
        lock (_gate)
        {
            if (_completed || !(_throttle.ShouldDraw() || force))
            {
                return;
            }

            _status = string.IsNullOrEmpty(status) ? Activity : status;
            var record = NewRecord(ProgressRecordType.Processing);
            record.PercentComplete = Math.Max(-1, Math.Min(100, percentComplete));
            record.SecondsRemaining = secondsRemaining;
            if (!string.IsNullOrEmpty(currentOperation))
            {
                record.CurrentOperation = currentOperation;
            }

            _write(record);
        }
    }

    /// <summary>Updates the bar from a transfer's progress: bytes, total, rate and time left.</summary>
    /// <param name="progress">The engine's report.</param>
    /// <param name="currentOperation">A line under the bar, such as the dataset being sent.</param>
    public void Report(TransferProgress progress, string? currentOperation = null) =>
        Report(
            TransferProgressText.Describe(progress),
            TransferProgressText.PercentComplete(progress),
            TransferProgressText.SecondsRemaining(progress),
            currentOperation);

    /// <summary>Closes the bar with a Completed record; later reports are ignored. Safe to call more than once.</summary>
    public void Complete()
    {
        lock (_gate)
        {
            if (_completed)
            {
                return;
            }

            _completed = true;
            var record = NewRecord(ProgressRecordType.Completed);
            try
            {
                _write(record);
            }
            catch (Exception error) when (error is PipelineStoppedException or PSInvalidOperationException)
            {
                // A stopping pipeline refuses every write, and so does a command that has ended its steps (a drain
                // closing its bars as the command is disposed), yet a host other than the console keeps a bar nobody closes.
                _writeWhenStopped?.Invoke(record);
            }
        }
    }

    /// <summary>Closes the bar.</summary>
    public void Dispose() => Complete();

    private ProgressRecord NewRecord(ProgressRecordType type) =>
        new(ActivityId, Activity, _status) { ParentActivityId = _parentActivityId, RecordType = type };
}
