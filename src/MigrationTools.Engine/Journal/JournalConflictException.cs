using System;

namespace MigrationTools.Engine.Journal;

/// <summary>
/// A journal write was refused because the stored record is not the one the caller read: another controller saved
/// it meanwhile, or the migration already exists (on create) or no longer exists (on save).
/// </summary>
public sealed class JournalConflictException : Exception
{
    /// <summary>Creates an exception with a generic message.</summary>
    public JournalConflictException()
        : this("The migration journal changed under this write.")
    {
    }

    /// <summary>Creates an exception with a message.</summary>
    /// <param name="message">What conflicted.</param>
    public JournalConflictException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with a message and its cause.</summary>
    /// <param name="message">What conflicted.</param>
    /// <param name="innerException">The cause.</param>
    public JournalConflictException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
