namespace MigrationTools.Cli;

/// <summary>A value on the command line is wrong in a way the parser could not see; nothing was run. Exit code 2.</summary>
internal sealed class UsageException : Exception
{
    /// <summary>Creates an exception with a generic message.</summary>
    public UsageException()
        : this("The command line is not valid; see --help.")
    {
    }

    /// <summary>Creates an exception.</summary>
    /// <param name="message">The fault and the fix, naming the option.</param>
    public UsageException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with its cause.</summary>
    /// <param name="message">The fault and the fix, naming the option.</param>
    /// <param name="innerException">The cause.</param>
    public UsageException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
