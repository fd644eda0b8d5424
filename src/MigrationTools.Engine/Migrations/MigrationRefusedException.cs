using System;

namespace MigrationTools.Engine.Migrations;

/// <summary>
/// A phase would not start: bad input, a failed preflight check, a migration in the wrong state, or a workload
/// already claimed by another migration. Nothing was changed on any host or in the journal.
/// </summary>
public sealed class MigrationRefusedException : Exception
{
    /// <summary>Creates an exception with a generic message.</summary>
    public MigrationRefusedException()
        : this("The migration phase was refused; nothing was changed.")
    {
    }

    /// <summary>Creates an exception with a message.</summary>
    /// <param name="message">Why, and what to do instead.</param>
    public MigrationRefusedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with a message and its cause.</summary>
    /// <param name="message">Why, and what to do instead.</param>
    /// <param name="innerException">The cause.</param>
    public MigrationRefusedException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates an exception for a failed preflight.</summary>
    /// <param name="message">Why.</param>
    /// <param name="preflight">The checks, with the failures among them.</param>
    public MigrationRefusedException(string message, MigrationPlan preflight)
        : base(message) => Preflight = preflight;

    /// <summary>The preflight whose failures refused the phase; <see langword="null"/> for other reasons.</summary>
    public MigrationPlan? Preflight { get; }
}
