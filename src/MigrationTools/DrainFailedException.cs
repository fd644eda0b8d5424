using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Linq;

namespace MigrationTools;

/// <summary>
/// The exception of the DrainFailed error: under -ErrorAction Stop, some migrations of a command run with
/// -ThrottleLimit failed while the others went on. <see cref="Failures"/> holds each failure's own exception, as the
/// error that would have been written for it says.
/// </summary>
public sealed class DrainFailedException : Exception
{
    /// <summary>Creates the exception with no failures.</summary>
    public DrainFailedException()
        : this("Some migrations failed.")
    {
    }

    /// <summary>Creates the exception with no failures.</summary>
    /// <param name="message">What happened.</param>
    public DrainFailedException(string message)
        : this(message, Array.Empty<Exception>())
    {
    }

    /// <summary>Creates the exception with one failure.</summary>
    /// <param name="message">What happened.</param>
    /// <param name="innerException">The failure.</param>
    public DrainFailedException(string message, Exception innerException)
        : this(message, new[] { innerException ?? throw new ArgumentNullException(nameof(innerException)) })
    {
    }

    /// <summary>Creates the exception for the failures of a drain.</summary>
    /// <param name="message">What happened, naming each failure.</param>
    /// <param name="failures">Each failure's exception; the first is also the inner exception.</param>
    public DrainFailedException(string message, IEnumerable<Exception> failures)
        : this(message, (failures ?? throw new ArgumentNullException(nameof(failures))).ToList())
    {
    }

    private DrainFailedException(string message, List<Exception> failures)
        : base(message, failures.FirstOrDefault())
    {
        Failures = new ReadOnlyCollection<Exception>(failures);
    }

    /// <summary>Each failure's exception, in the order they happened.</summary>
    public ReadOnlyCollection<Exception> Failures { get; }
}
