using System;
using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using MigrationTools.Engine.Draining;
using MigrationTools.Engine.Migrations;
using MigrationTools.Engine.Transfer;

namespace MigrationTools.Infrastructure;

/// <summary>
/// The one view of a drain: a parent bar for the whole (done, running and waiting, bytes, time left) under the
/// command's own activity id, and one child bar per running migration (its phases as
/// <see cref="MigrationProgressReporter"/> draws them) whose ParentActivityId is the parent's. Every bar ends with a
/// Completed record: a child's when its migration ends, the parent's and any child's left by <see cref="Close"/>.
/// </summary>
/// <remarks>
/// The drain's workers report from their own threads, between the command's steps too; every drawing is queued in
/// the command's <see cref="PipelineOutbox"/> and runs on the pipeline thread, in the order it was queued.
/// </remarks>
internal sealed class DrainProgress
{
    private readonly CmdletPipeline _pipeline;
    private readonly PipelineOutbox _outbox;
    private readonly string _commandName;
    private readonly ProgressReporter _parent;
    private readonly ConcurrentDictionary<DrainWork, MigrationProgressReporter> _children = new();
    private (int Waiting, int Running, int Succeeded, int Failed) _lastCounts = (-1, -1, -1, -1);

    /// <summary>Creates the view; nothing is drawn until the drain reports.</summary>
    /// <param name="pipeline">The cmdlet's calls into PowerShell.</param>
    /// <param name="outbox">Where drawings wait for the pipeline thread.</param>
    /// <param name="activity">The parent bar's activity, such as <c>Draining h1</c>.</param>
    public DrainProgress(CmdletPipeline pipeline, PipelineOutbox outbox, string activity)
    {
        _pipeline = pipeline ?? throw new ArgumentNullException(nameof(pipeline));
        _outbox = outbox ?? throw new ArgumentNullException(nameof(outbox));
        _commandName = pipeline.CommandName;
        _parent = pipeline.StartProgress(activity, ProgressActivityId.For(_commandName), -1);
    }

    /// <summary>The parent bar's id, the command's own activity id.</summary>
    public int ParentActivityId => _parent.ActivityId;

    /// <summary>The id of the child bar of <paramref name="work"/>: derived from the command and the work's place in the drain.</summary>
    /// <param name="commandName">The command, such as <c>Move-Workload</c>.</param>
    /// <param name="work">The piece of the drain.</param>
    /// <returns>An id from 0 to <see cref="int.MaxValue"/>.</returns>
    public static int ChildActivityId(string commandName, DrainWork work) =>
        ProgressActivityId.For(commandName + "#" + (work ?? throw new ArgumentNullException(nameof(work))).Sequence.ToString(CultureInfo.InvariantCulture));

    /// <summary>The parent bar's status line: <c>done 2, running 3, waiting 1 · 1.2 GiB of 3 GiB · ETA 4m 10s</c>.</summary>
    /// <param name="status">The drain's status.</param>
    /// <returns>The text.</returns>
    public static string Describe(DrainStatus status)
    {
        if (status is null)
        {
            throw new ArgumentNullException(nameof(status));
        }

        var text = new StringBuilder();
        text.Append(string.Format(CultureInfo.InvariantCulture, "done {0}, running {1}, waiting {2}", status.Succeeded, status.Running, status.Waiting));
        if (status.Failed > 0)
        {
            text.Append(string.Format(CultureInfo.InvariantCulture, ", failed {0}", status.Failed));
        }

        text.Append(" · ").Append(ByteSize.Format(status.BytesDone)).Append(" of ").Append(ByteSize.Format(status.BytesTotal));
        if (status.EstimatedRemaining is { } remaining)
        {
            text.Append(" · ETA ").Append(DurationText.Format(remaining));
        }

        return text.ToString();
    }

    /// <summary>The parent bar's percentage: bytes when the drain knows its total, else the pieces that ended.</summary>
    /// <param name="status">The drain's status.</param>
    /// <returns>0-100.</returns>
    public static int PercentComplete(DrainStatus status)
    {
        if (status is null)
        {
            throw new ArgumentNullException(nameof(status));
        }

        if (status.PercentComplete is { } percent)
        {
            return Math.Max(0, Math.Min(100, percent));
        }

        var all = status.Waiting + status.Running + status.Succeeded + status.Failed;
        return all == 0 ? 0 : (status.Succeeded + status.Failed) * 100 / all;
    }

    /// <summary>Describes the parent bar anew, such as when inputs from another host join the drain; from any thread.</summary>
    /// <param name="activity">The parent bar's activity.</param>
    public void Rename(string activity) => _outbox.Post(() => _parent.Rename(activity));

    /// <summary>Opens the child bar of a migration that started; from any thread.</summary>
    /// <param name="work">The piece of the drain.</param>
    /// <param name="subject">What is migrated, such as <c>web from h1 to h2</c>.</param>
    public void Started(DrainWork work, string subject)
    {
        var id = ChildActivityId(_commandName, work);
        var child = new MigrationProgressReporter(
            subject,
            activity => _pipeline.StartProgress(activity, id, _parent.ActivityId),
            _pipeline.WriteVerbose,
            _outbox.Post,
            _outbox.Post);
        _children[work] = child;
    }

    /// <summary>Draws a running migration's report on its child bar; from any thread.</summary>
    /// <param name="work">The piece of the drain.</param>
    /// <param name="progress">The engine's report.</param>
    public void Report(DrainWork work, MigrationProgress progress)
    {
        if (_children.TryGetValue(work, out var child))
        {
            child.Report(progress);
        }
    }

    /// <summary>Closes the child bar of a migration that ended; from any thread.</summary>
    /// <param name="work">The piece of the drain.</param>
    public void Ended(DrainWork work)
    {
        if (_children.TryRemove(work, out var child))
        {
            child.Dispose();
        }
    }

    /// <summary>Draws the drain's status on the parent bar; from any thread. A change of the counts is always drawn.</summary>
    /// <param name="status">The drain's status.</param>
    public void Status(DrainStatus status)
    {
        if (status is null)
        {
            return;
        }

        var text = Describe(status);
        var percent = PercentComplete(status);
        var seconds = status.EstimatedRemaining is { } remaining ? (int)Math.Min(int.MaxValue, Math.Ceiling(remaining.TotalSeconds)) : -1;
        _outbox.Post(() =>
        {
            var counts = (status.Waiting, status.Running, status.Succeeded, status.Failed);
            var changed = counts != _lastCounts;
            _lastCounts = counts;
            _parent.Report(text, percent, seconds, force: changed);
        });
    }

    /// <summary>
    /// Closes every bar: the children still open, then the parent. On the pipeline thread, once nothing of the drain
    /// runs any more and its queued drawings were delivered.
    /// </summary>
    public void Close()
    {
        foreach (var work in _children.Keys)
        {
            Ended(work);
        }

        // The children's Completed records were queued; they go before the parent's.
        _outbox.Post(_parent.Complete);
    }
}
