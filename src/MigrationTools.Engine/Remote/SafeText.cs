using System.Globalization;
using System.Text;

namespace MigrationTools.Engine.Remote;

/// <summary>Shows untrusted text inside an error message without letting it forge lines or terminal escapes.</summary>
internal static class SafeText
{
    private const int MaxShown = 80;

    /// <summary>The value in single quotes, control characters as <c>\uXXXX</c>, long values shortened.</summary>
    public static string Show(string? value)
    {
        if (value is null)
        {
            return "(null)";
        }

        var shown = new StringBuilder(value.Length + 2).Append('\'');
        var length = value.Length > MaxShown ? MaxShown : value.Length;
        for (var i = 0; i < length; i++)
        {
            var c = value[i];
            if (char.IsControl(c))
            {
                shown.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
            }
            else
            {
                shown.Append(c);
            }
        }

        shown.Append('\'');
        if (value.Length > MaxShown)
        {
            shown.Append("... (").Append(value.Length.ToString(CultureInfo.InvariantCulture)).Append(" characters)");
        }

        return shown.ToString();
    }

    /// <summary>Names a character for a message: printable ones in quotes, others by code point.</summary>
    public static string Describe(char c) => c switch
    {
        ' ' => "a space",
        '\t' => "a tab",
        '\n' => "a line break",
        '\r' => "a carriage return",
        _ when char.IsControl(c) || char.IsWhiteSpace(c) => "the character U+" + ((int)c).ToString("X4", CultureInfo.InvariantCulture),
        _ => "'" + c + "'",
    };
}
