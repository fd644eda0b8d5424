using System;

namespace MigrationTools.Engine.Journal;

/// <summary>
/// A journal file cannot be read as a migration record: truncated, not JSON, missing fields, or naming another
/// migration. The journal never overwrites such a file; a person must move it aside.
/// </summary>
public sealed class JournalCorruptException : Exception
{
    /// <summary>Creates an exception with a generic message.</summary>
    public JournalCorruptException()
        : this("A migration journal file is corrupt.")
    {
    }

    /// <summary>Creates an exception with a message.</summary>
    /// <param name="message">What is wrong.</param>
    public JournalCorruptException(string message)
        : this(message, (Exception?)null)
    {
    }

    /// <summary>Creates an exception with a message and its cause.</summary>
    /// <param name="message">What is wrong.</param>
    /// <param name="innerException">The cause.</param>
    public JournalCorruptException(string message, Exception? innerException)
        : base(message, innerException)
    {
        Fault = message;
    }

    /// <summary>Creates the exception for one file.</summary>
    /// <param name="file">The journal file.</param>
    /// <param name="fault">What is wrong with it.</param>
    /// <param name="innerException">The cause, if any.</param>
    public JournalCorruptException(string file, string fault, Exception? innerException)
        : base($"{file}: {fault} The journal will not overwrite it; move it aside after checking the hosts by hand.", innerException)
    {
        File = file;
        Fault = fault;
    }

    /// <summary>The corrupt file, when known.</summary>
    public string? File { get; }

    /// <summary>The fault alone, without the file.</summary>
    public string Fault { get; }
}
