using System;
using System.Diagnostics.CodeAnalysis;
using MigrationTools.Engine.Migrations;

namespace MigrationTools.Engine.Draining;

/// <summary>
/// Receives a drain's events. Called from worker threads, one call at a time (the queue serialises them), so an
/// implementation need not lock but must not block for long.
/// </summary>
public interface IDrainObserver
{
    /// <summary>The work started.</summary>
    /// <param name="work">The work.</param>
    void Started(DrainWork work);

    /// <summary>The work reported progress.</summary>
    /// <param name="work">The work.</param>
    /// <param name="progress">Its progress.</param>
    void Progress(DrainWork work, MigrationProgress progress);

    /// <summary>The work ended well.</summary>
    /// <param name="work">The work.</param>
    /// <param name="record">Its migration's record.</param>
    void Finished(DrainWork work, MigrationRecord record);

    /// <summary>The work failed or was cancelled; the others go on (unless the drain was cancelled).</summary>
    /// <param name="work">The work.</param>
    /// <param name="error">Why.</param>
    [SuppressMessage("Naming", "CA1716", Justification = "The name says what it is; no VB caller implements this interface.")]
    void Failed(DrainWork work, Exception error);

    /// <summary>The drain's totals changed.</summary>
    /// <param name="status">The totals.</param>
    void StatusChanged(DrainStatus status);
}
