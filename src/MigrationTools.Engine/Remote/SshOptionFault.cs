namespace MigrationTools.Engine.Remote;

/// <summary>What is wrong with one of the <see cref="SshOptions"/>, found by <see cref="SshOptionsValidator"/>.</summary>
/// <param name="Field">The option.</param>
/// <param name="Value">Its value, as text.</param>
/// <param name="Message">What is wrong and what to do, without naming any front end's parameter.</param>
/// <param name="FileNotFound">True when the option names a file that does not exist (rather than a value ssh could not use).</param>
public sealed record SshOptionFault(SshOptionField Field, string? Value, string Message, bool FileNotFound);
