using System.Text;

namespace MigrationTools.HelpBuilder;

/// <summary>Word wrapping for plain-text help: PowerShell prints help text as it is, breaking long lines anywhere.</summary>
internal static class TextWrapper
{
    /// <summary>
    /// Breaks <paramref name="text"/> at spaces into lines of at most <paramref name="width"/> characters, the first
    /// starting with <paramref name="firstPrefix"/> and the others with <paramref name="restPrefix"/>. A word longer
    /// than a line (a path, a URL) gets a line of its own rather than being cut.
    /// </summary>
    public static IReadOnlyList<string> Wrap(string text, int width, string firstPrefix, string restPrefix)
    {
        var lines = new List<string>();
        var line = new StringBuilder(firstPrefix);
        var lineHasWord = false;
        foreach (var word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (lineHasWord && line.Length + 1 + word.Length > width)
            {
                lines.Add(line.ToString());
                line.Clear().Append(restPrefix);
                lineHasWord = false;
            }

            if (lineHasWord)
            {
                line.Append(' ');
            }

            line.Append(word);
            lineHasWord = true;
        }

        lines.Add(line.ToString().TrimEnd());
        return lines;
    }
}
