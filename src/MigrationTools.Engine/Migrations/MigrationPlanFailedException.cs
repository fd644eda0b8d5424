using System;

namespace MigrationTools.Engine.Migrations;

/// <summary>
/// A migration was asked to carry out a plan whose checks failed: it is refused before anything is looked at or
/// changed. The message names the failed checks; test again once they are fixed.
/// </summary>
public sealed class MigrationPlanFailedException : Exception
{
    /// <summary>Creates an exception with a generic message.</summary>
    public MigrationPlanFailedException()
        : this("The migration's plan failed its checks, so it is not carried out; nothing was changed.")
    {
    }

    /// <summary>Creates an exception with a message.</summary>
    /// <param name="message">Why.</param>
    public MigrationPlanFailedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with a message and its cause.</summary>
    /// <param name="message">Why.</param>
    /// <param name="innerException">The cause.</param>
    public MigrationPlanFailedException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for a plan that failed.</summary>
    /// <param name="plan">The plan, with its failed checks.</param>
    public MigrationPlanFailedException(MigrationPlan plan)
        : base(
            $"The plan to move {plan?.Workload} from {plan?.Source} to {plan?.Destination} failed its checks, so it is not carried out; " +
            $"nothing was changed. Fix what the failed checks name and test again:{Environment.NewLine}{plan?.DescribeFailures()}") =>
        Plan = plan ?? throw new ArgumentNullException(nameof(plan));

    /// <summary>The plan that failed; <see langword="null"/> when the exception was created without one.</summary>
    public MigrationPlan? Plan { get; }
}
