using System;
using System.Collections.Generic;

namespace MigrationTools.Engine.Remote;

/// <summary>
/// A local program to run: its path and argument list (never a shell command line), with optional
/// working directory and environment changes.
/// </summary>
/// <param name="FileName">The program: a path, or a name looked up on <c>PATH</c>.</param>
/// <param name="Arguments">The arguments, each passed to the program as one word exactly as given.</param>
internal sealed record LocalCommand(string FileName, IReadOnlyList<string> Arguments)
{
    /// <summary>The standard error kept by default: the last 64 KiB.</summary>
    public const int DefaultStandardErrorLimit = 64 * 1024;

    /// <summary>The working directory; <see langword="null"/> keeps the current one.</summary>
    public string? WorkingDirectory { get; init; }

    /// <summary>
    /// Environment variables to set for the program on top of the inherited environment; a
    /// <see langword="null"/> value removes the variable.
    /// </summary>
    public IReadOnlyDictionary<string, string?> Environment { get; init; } = new Dictionary<string, string?>();

    /// <summary>
    /// How many bytes of standard error to keep. Only the last bytes are kept, so a chatty program
    /// cannot exhaust memory while the message that explains a failure (usually at the end) survives.
    /// </summary>
    public int StandardErrorLimit { get; init; } = DefaultStandardErrorLimit;

    /// <summary>
    /// The capacity in bytes to give the pipes of standard input and output, or <see langword="null"/> for the
    /// system's default (64 KiB on Linux). A bulk stream wants more: a writer into a small pipe wakes its reader for
    /// every few kilobytes. Linux only, and best effort: the kernel rounds it up to whole pages and refuses sizes over
    /// its limits (<c>/proc/sys/fs/pipe-max-size</c>, a user's pipe pages), which leaves the default.
    /// </summary>
    public int? PipeCapacity { get; init; }

    /// <summary>Creates a command from a program and its arguments.</summary>
    /// <param name="fileName">The program.</param>
    /// <param name="arguments">Its arguments.</param>
    /// <returns>The command.</returns>
    public static LocalCommand Create(string fileName, params string[] arguments) => new(fileName, arguments);

    /// <summary>The program and its arguments, for messages; not meant to be run by a shell.</summary>
    /// <returns>The words separated by spaces.</returns>
    public override string ToString() => Arguments.Count == 0 ? FileName : FileName + " " + string.Join(" ", Arguments);

    internal void Validate()
    {
        if (string.IsNullOrEmpty(FileName))
        {
            throw new ArgumentException("The program to run is empty; give its path or name.", nameof(FileName));
        }

        if (Arguments is null)
        {
            throw new ArgumentException("The argument list is null; give an empty list for no arguments.", nameof(Arguments));
        }

        foreach (var argument in Arguments)
        {
            if (argument is null)
            {
                throw new ArgumentException($"An argument of '{FileName}' is null; every argument must be a string.", nameof(Arguments));
            }

            if (argument.IndexOf('\0') >= 0)
            {
                throw new ArgumentException($"An argument of '{FileName}' contains a NUL character, which no process argument can carry.", nameof(Arguments));
            }
        }

        if (StandardErrorLimit < 0)
        {
            throw new ArgumentException("The standard error limit cannot be negative.", nameof(StandardErrorLimit));
        }

        if (PipeCapacity <= 0)
        {
            throw new ArgumentException("The pipe capacity must be positive; leave it unset for the system's default.", nameof(PipeCapacity));
        }
    }
}
