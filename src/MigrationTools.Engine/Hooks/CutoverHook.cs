using System;
using System.Collections.Generic;
using System.Linq;

namespace MigrationTools.Engine.Hooks;

/// <summary>
/// A command run around the switch, for example to repoint DNS or a load balancer. It sees the migration's facts
/// in environment variables (<c>CutoverHookRunner</c> lists them) and runs as argv, never through a shell
/// unless the argv itself names one.
/// </summary>
public sealed record CutoverHook
{
    /// <summary>The longest a hook may take, in seconds.</summary>
    public const int MaxTimeoutSeconds = 3600;

    private readonly string[] _command;

    /// <summary>Creates a hook.</summary>
    /// <param name="stage">When it runs.</param>
    /// <param name="location">Where it runs.</param>
    /// <param name="command">The program and its arguments.</param>
    /// <param name="timeoutSeconds">How long it may take, 1 to <see cref="MaxTimeoutSeconds"/>.</param>
    /// <exception cref="ArgumentException">The command is empty or holds a NUL character.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The timeout is out of range.</exception>
    public CutoverHook(CutoverStage stage, CutoverHookLocation location, IEnumerable<string> command, int timeoutSeconds = 60)
    {
        var argv = (command ?? throw new ArgumentNullException(nameof(command))).ToArray();
        if (argv.Length == 0 || argv[0].Length == 0)
        {
            throw new ArgumentException("A cutover hook needs a command: give the program and its arguments.", nameof(command));
        }

        if (argv[0].IndexOf('=') >= 0)
        {
            throw new ArgumentException(
                $"A cutover hook's program name must not contain '=' (it would read as an environment assignment): {argv[0]}.", nameof(command));
        }

        if (argv.Any(word => word is null || word.IndexOf('\0') >= 0))
        {
            throw new ArgumentException("A cutover hook's arguments must not be null or hold NUL characters.", nameof(command));
        }

        if (timeoutSeconds < 1 || timeoutSeconds > MaxTimeoutSeconds)
        {
            throw new ArgumentOutOfRangeException(nameof(timeoutSeconds), timeoutSeconds,
                $"A cutover hook's timeout must be from 1 to {MaxTimeoutSeconds} seconds.");
        }

        Stage = stage;
        Location = location;
        _command = argv;
        TimeoutSeconds = timeoutSeconds;
    }

    /// <summary>When it runs.</summary>
    public CutoverStage Stage { get; }

    /// <summary>Where it runs.</summary>
    public CutoverHookLocation Location { get; }

    /// <summary>The program and its arguments.</summary>
    public IReadOnlyList<string> Command => _command;

    /// <summary>How long it may take before it is ended and counted as failed.</summary>
    public int TimeoutSeconds { get; }

    /// <inheritdoc/>
    public bool Equals(CutoverHook? other) =>
        other is not null && Stage == other.Stage && Location == other.Location && TimeoutSeconds == other.TimeoutSeconds &&
        _command.SequenceEqual(other._command, StringComparer.Ordinal);

    /// <inheritdoc/>
    public override int GetHashCode() => ((int)Stage * 31 + (int)Location) * 31 + _command.Length;

    /// <inheritdoc/>
    public override string ToString() => $"{Stage} hook on {Location}: {string.Join(" ", _command)}";
}
