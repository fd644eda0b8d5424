using System;

namespace MigrationTools.Infrastructure;

/// <summary>
/// The activity id of a cmdlet's progress bar: derived from the command name, so it is the same in every session
/// and every run (scripts and hosts can follow one command's bar), and differs between the module's commands, so
/// two of them in one pipeline draw two bars.
/// </summary>
internal static class ProgressActivityId
{
    /// <summary>The id for <paramref name="commandName"/>: a 31-bit FNV-1a hash of its lower-case form, never negative.</summary>
    /// <param name="commandName">Such as <c>Get-Workload</c>.</param>
    /// <returns>An id from 0 to <see cref="int.MaxValue"/>.</returns>
    public static int For(string commandName)
    {
        if (commandName is null)
        {
            throw new ArgumentNullException(nameof(commandName));
        }

        // string.GetHashCode differs from one process to the next; FNV-1a does not.
        var hash = 2166136261u;
        foreach (var c in commandName.ToUpperInvariant())
        {
            hash ^= c;
            hash *= 16777619u;
        }

        return (int)(hash & int.MaxValue);
    }
}
