using System;
using System.Collections.Generic;
using System.Text;

namespace MigrationTools.Engine.Remote;

/// <summary>
/// Quotes words for a POSIX <c>sh</c> command line, such as the command string that
/// <c>ssh</c> hands to the remote user's shell.
/// </summary>
public static class ShellQuote
{
    /// <summary>
    /// Quotes <paramref name="value"/> as one single-quoted <c>sh</c> word that the shell
    /// reads back as exactly <paramref name="value"/>, with no expansion of any kind.
    /// </summary>
    /// <param name="value">The word to quote; may be empty.</param>
    /// <returns>
    /// The value between single quotes, each embedded <c>'</c> written as <c>'\''</c>.
    /// The empty string becomes <c>''</c>.
    /// </returns>
    /// <exception cref="ArgumentNullException"><paramref name="value"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">
    /// <paramref name="value"/> contains a NUL character, which no shell word or process argument can carry.
    /// </exception>
    public static string Quote(string value)
    {
        if (value is null)
        {
            throw new ArgumentNullException(nameof(value));
        }

        if (value.IndexOf('\0') >= 0)
        {
            throw new ArgumentException("A shell word cannot contain a NUL character.", nameof(value));
        }

        var quoted = new StringBuilder(value.Length + 2);
        AppendQuoted(quoted, value);
        return quoted.ToString();
    }

    /// <summary>
    /// Quotes each word with <see cref="Quote(string)"/> and joins them with single spaces,
    /// so that <c>sh</c> splits the result back into exactly the words given.
    /// </summary>
    /// <param name="argv">The words, command name first.</param>
    /// <returns>The command line; the empty string when there are no words.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="argv"/> or one of its words is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A word contains a NUL character.</exception>
    public static string Join(IEnumerable<string> argv)
    {
        if (argv is null)
        {
            throw new ArgumentNullException(nameof(argv));
        }

        var line = new StringBuilder();
        foreach (var word in argv)
        {
            if (line.Length > 0)
            {
                line.Append(' ');
            }

            line.Append(Quote(word));
        }

        return line.ToString();
    }

    private static void AppendQuoted(StringBuilder builder, string value)
    {
        builder.Append('\'');
        foreach (var c in value)
        {
            if (c == '\'')
            {
                // Close the quoted run, emit an escaped quote, reopen.
                builder.Append("'\\''");
            }
            else
            {
                builder.Append(c);
            }
        }

        builder.Append('\'');
    }
}
