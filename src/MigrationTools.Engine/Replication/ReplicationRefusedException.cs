using System;

namespace MigrationTools.Engine.Replication;

/// <summary>
/// A replication was refused before anything was changed: the target has diverged or holds unrelated data,
/// the source is missing, or a requested option is unavailable. The message says what and how to proceed.
/// </summary>
public sealed class ReplicationRefusedException : Exception
{
    /// <summary>Creates an exception with a generic message.</summary>
    public ReplicationRefusedException()
    {
    }

    /// <summary>Creates an exception with a message.</summary>
    /// <param name="message">What was refused, why, and what to do.</param>
    public ReplicationRefusedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with a message and its cause.</summary>
    /// <param name="message">What was refused, why, and what to do.</param>
    /// <param name="innerException">The cause.</param>
    public ReplicationRefusedException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
