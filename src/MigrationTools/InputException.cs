using System;

namespace MigrationTools;

/// <summary>
/// A value given to a cmdlet is not valid. Carries the error identifier to report it under (one of
/// <see cref="ErrorIds"/>) and the value itself as the error's target; the message names the fault and the fix.
/// </summary>
public sealed class InputException : ArgumentException
{
    private readonly string? _fault;

    /// <summary>Creates an exception with a generic message.</summary>
    public InputException()
        : this("A value given to the cmdlet is not valid.")
    {
    }

    /// <summary>Creates an exception with a message.</summary>
    /// <param name="message">What is wrong and how to fix it.</param>
    public InputException(string message)
        : this(message, (Exception?)null)
    {
    }

    /// <summary>Creates an exception with a message and its cause.</summary>
    /// <param name="message">What is wrong and how to fix it.</param>
    /// <param name="innerException">The cause.</param>
    public InputException(string message, Exception? innerException)
        : base(message, innerException)
    {
        ErrorId = ErrorIds.InvalidArgument;
    }

    /// <summary>Creates the exception for one parameter's value.</summary>
    /// <param name="errorId">The identifier to report it under.</param>
    /// <param name="parameter">The cmdlet parameter, without the dash.</param>
    /// <param name="value">The value given.</param>
    /// <param name="fault">What is wrong and how to fix it.</param>
    /// <param name="innerException">The cause, if any.</param>
    public InputException(string errorId, string parameter, object? value, string fault, Exception? innerException = null)
        : base(fault, parameter, innerException)
    {
        ErrorId = errorId;
        Value = value;
        _fault = fault;
    }

    /// <summary>The identifier to report the error under.</summary>
    public string ErrorId { get; }

    /// <summary>The value given.</summary>
    public object? Value { get; }

    /// <summary>
    /// The parameter in PowerShell's spelling, then the fault: <c>-Name: The workload name ...</c>. (The base class
    /// would append "(Parameter 'Name')" instead.)
    /// </summary>
    public override string Message => _fault is null ? base.Message : $"-{ParamName}: {_fault}";
}
