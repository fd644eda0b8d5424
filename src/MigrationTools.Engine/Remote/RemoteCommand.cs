using System;
using System.Collections.Generic;
using System.Linq;

namespace MigrationTools.Engine.Remote;

/// <summary>
/// A command to run on a remote host, kept as argument lists: one per stage of a pipeline. Its command
/// line is only ever produced by <see cref="ShellQuote.Join"/>, joined by the engine's own <c>|</c>.
/// </summary>
public sealed class RemoteCommand
{
    private readonly IReadOnlyList<string>[] _stages;

    private RemoteCommand(IReadOnlyList<string>[] stages)
    {
        _stages = stages;
        CommandLine = string.Join(" | ", stages.Select(ShellQuote.Join));
    }

    /// <summary>The pipeline's stages, each an argument list with the program first.</summary>
    public IReadOnlyList<IReadOnlyList<string>> Stages => _stages;

    /// <summary>The POSIX <c>sh</c> command line: each stage quoted word by word, stages joined by <c>|</c>.</summary>
    public string CommandLine { get; }

    /// <summary>Creates a command from its argument list, program first.</summary>
    /// <param name="argv">The program and its arguments; each reaches the program as exactly one word.</param>
    /// <returns>The command.</returns>
    /// <exception cref="ArgumentException">The list is empty, the program name is empty, or a word is null or contains NUL.</exception>
    public static RemoteCommand Create(params string[] argv) => Create((IEnumerable<string>)argv);

    /// <summary>Creates a command from its argument list, program first.</summary>
    /// <param name="argv">The program and its arguments; each reaches the program as exactly one word.</param>
    /// <returns>The command.</returns>
    /// <exception cref="ArgumentException">The list is empty, the program name is empty, or a word is null or contains NUL.</exception>
    public static RemoteCommand Create(IEnumerable<string> argv) => new(new[] { Check(argv) });

    /// <summary>A pipeline of <paramref name="stages"/>, each an argument list checked as <see cref="Create(IEnumerable{string})"/> does.</summary>
    /// <param name="stages">The stages, first to last.</param>
    /// <returns>The command.</returns>
    internal static RemoteCommand FromStages(IEnumerable<IEnumerable<string>> stages)
    {
        var checkedStages = (stages ?? throw new ArgumentNullException(nameof(stages))).Select(Check).ToArray();
        return checkedStages.Length == 0
            ? throw new ArgumentException("A remote command needs at least one stage.", nameof(stages))
            : new RemoteCommand(checkedStages);
    }

    /// <summary>
    /// This command's standard output piped into <paramref name="next"/>'s standard input. As in <c>sh</c>, the
    /// pipeline's exit status is its last stage's.
    /// </summary>
    /// <param name="next">The command that reads this one's output.</param>
    /// <returns>The pipeline.</returns>
    internal RemoteCommand Pipe(RemoteCommand next)
    {
        if (next is null)
        {
            throw new ArgumentNullException(nameof(next));
        }

        return new RemoteCommand(_stages.Concat(next._stages).ToArray());
    }

    /// <summary>The command line.</summary>
    /// <returns><see cref="CommandLine"/>.</returns>
    public override string ToString() => CommandLine;

    /// <summary>The argument list that runs this command: itself, or <c>sh -c</c> with the pipeline's command line.</summary>
    internal IReadOnlyList<string> ToArgv() =>
        _stages.Length == 1 ? _stages[0] : new[] { "sh", "-c", CommandLine };

    private static IReadOnlyList<string> Check(IEnumerable<string> argv)
    {
        if (argv is null)
        {
            throw new ArgumentNullException(nameof(argv));
        }

        var words = argv.ToArray();
        if (words.Length == 0 || string.IsNullOrEmpty(words[0]))
        {
            throw new ArgumentException("A remote command needs a program name as its first word.", nameof(argv));
        }

        foreach (var word in words)
        {
            if (word is null)
            {
                throw new ArgumentException($"A word of the remote command '{words[0]}' is null.", nameof(argv));
            }

            if (word.IndexOf('\0') >= 0)
            {
                throw new ArgumentException($"A word of the remote command '{words[0]}' contains a NUL character, which no command line can carry.", nameof(argv));
            }
        }

        return words;
    }
}
