namespace MigrationTools.Engine.Hooks;

/// <summary>How one <see cref="CutoverHook"/> ended.</summary>
/// <param name="Hook">The hook.</param>
/// <param name="Succeeded">Whether it exited 0 within its timeout.</param>
/// <param name="ExitCode">Its exit code; -1 when it timed out or could not start.</param>
/// <param name="Message">What it printed on standard error (the end of it), or why it could not run.</param>
internal sealed record HookOutcome(CutoverHook Hook, bool Succeeded, int ExitCode, string Message)
{
    /// <summary>One line for a phase outcome or an error.</summary>
    /// <returns>The summary.</returns>
    public string Describe() =>
        Succeeded ? $"{Hook} succeeded" : $"{Hook} failed (exit {ExitCode}){(Message.Length == 0 ? "" : ": " + Message)}";
}
