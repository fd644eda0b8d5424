namespace MigrationTools.Engine.Preflight;

/// <summary>One thing a preflight looked at before anything was changed.</summary>
/// <param name="Name">A stable, short name for the check, such as "TargetPoolExists".</param>
/// <param name="Passed">True when the check found nothing in the way.</param>
/// <param name="Message">What was found, and when it failed, what to do about it.</param>
/// <param name="Target">What the check is about (a host, a dataset), for display and error records.</param>
public sealed record PreflightCheck(string Name, bool Passed, string Message, string? Target = null)
{
    /// <summary>A check that passed.</summary>
    /// <param name="name">The check's name.</param>
    /// <param name="message">What was found.</param>
    /// <param name="target">What the check is about.</param>
    /// <returns>The check.</returns>
    public static PreflightCheck Pass(string name, string message, string? target = null) => new(name, true, message, target);

    /// <summary>A check that failed.</summary>
    /// <param name="name">The check's name.</param>
    /// <param name="message">What was found and what to do about it.</param>
    /// <param name="target">What the check is about.</param>
    /// <returns>The check.</returns>
    public static PreflightCheck Fail(string name, string message, string? target = null) => new(name, false, message, target);
}
