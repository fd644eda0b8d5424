using System;

namespace MigrationTools.Engine.Migrations;

/// <summary>
/// A phase started and failed. <see cref="Record"/> is the migration as the journal now holds it: its state says
/// where the workload runs (a failed switch that was rolled back leaves it Synced, running on the source), and its
/// <see cref="MigrationRecord.LastError"/> says what happened and what to do.
/// </summary>
public sealed class MigrationFailedException : Exception
{
    /// <summary>Creates an exception with a generic message.</summary>
    public MigrationFailedException()
        : this("The migration phase failed.")
    {
    }

    /// <summary>Creates an exception with a message.</summary>
    /// <param name="message">What happened.</param>
    public MigrationFailedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with a message and its cause.</summary>
    /// <param name="message">What happened.</param>
    /// <param name="innerException">The cause.</param>
    public MigrationFailedException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates an exception for a phase that failed.</summary>
    /// <param name="message">What happened and what to do.</param>
    /// <param name="record">The migration as saved after the failure.</param>
    /// <param name="rolledBack">Whether the engine put the workload back on the source by itself.</param>
    /// <param name="innerException">The cause.</param>
    public MigrationFailedException(string message, MigrationRecord record, bool rolledBack, Exception? innerException)
        : base(message, innerException)
    {
        Record = record;
        RolledBack = rolledBack;
    }

    /// <summary>The migration as saved after the failure.</summary>
    public MigrationRecord? Record { get; }

    /// <summary>Whether the engine rolled the switch back, so the workload runs on the source again.</summary>
    public bool RolledBack { get; }
}
