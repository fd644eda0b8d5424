namespace MigrationTools.Cli;

/// <summary>
/// A command that would act on a host found, before acting, that it must not or cannot: the workload is not declared,
/// or already in the state asked for. Nothing was changed. Exit code 3, like a refused migration.
/// </summary>
internal sealed class CommandRefusedException : Exception
{
    /// <summary>Creates an exception with a generic message.</summary>
    public CommandRefusedException()
        : this("The command was refused; nothing was changed.")
    {
    }

    /// <summary>Creates an exception.</summary>
    /// <param name="message">Why, and what to do instead.</param>
    public CommandRefusedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with its cause.</summary>
    /// <param name="message">Why, and what to do instead.</param>
    /// <param name="innerException">The cause.</param>
    public CommandRefusedException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
