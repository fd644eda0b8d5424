using System.Globalization;
using System.Text;
using Markdig;
using Markdig.Syntax;

namespace MigrationTools.HelpBuilder;

/// <summary>
/// Turns an about topic's page (about_Name.md) into the plain text Get-Help shows (about_Name.help.txt): TOPIC and
/// the <c>#</c> headings in capitals at the margin, <c>##</c> headings indented by two, text indented by four and
/// wrapped to 80 columns, code as written under a further indent.
/// </summary>
internal static class AboutTopicWriter
{
    public const int Width = 80;

    private const string TextIndent = "    ";
    private const string CodeIndent = "        ";

    public static string Write(string file, string text)
    {
        var name = Path.GetFileNameWithoutExtension(file);
        var document = Markdown.Parse(text);
        var blocks = document.ToList();
        if (blocks.Count == 0 || blocks[0] is not HeadingBlock { Level: 1 } title || HelpTextReader.InlineText(title.Inline) != name)
        {
            throw new HelpPageException(file, 1, "title", $"an about topic starts with its title, '# {name}'.");
        }

        var output = new StringBuilder();
        output.Append("TOPIC\n").Append(TextIndent).Append(name).Append('\n');
        var index = 1;

        // PlatyPS's about template repeats the name as a '##' heading under the title.
        if (blocks.Count > 1 && blocks[1] is HeadingBlock { Level: 2 } repeated && HelpTextReader.InlineText(repeated.Inline) == name)
        {
            index = 2;
        }

        if (!blocks.Skip(index).Any(b => b is HeadingBlock { Level: 1 } h && string.Equals(HelpTextReader.InlineText(h.Inline), "SHORT DESCRIPTION", StringComparison.OrdinalIgnoreCase)))
        {
            throw new HelpPageException(file, title.Line + 1, "# SHORT DESCRIPTION", "the about topic has no '# SHORT DESCRIPTION' section.");
        }

        // A heading is followed directly by its text, as in PowerShell's own about topics; blocks are separated by a
        // blank line.
        var afterHeading = true;
        foreach (var block in blocks.Skip(index))
        {
            if (block is HeadingBlock heading)
            {
                var headingText = HelpTextReader.InlineText(heading.Inline);
                output.Append('\n');
                output.Append(heading.Level == 1
                    ? headingText.ToUpper(CultureInfo.InvariantCulture)
                    : new string(' ', (Math.Min(heading.Level, 3) - 1) * 2) + headingText);
                output.Append('\n');
                afterHeading = true;
                continue;
            }

            var paragraphs = HelpTextReader.Paragraphs([block]);
            if (paragraphs.Count == 0)
            {
                continue;
            }

            if (!afterHeading)
            {
                output.Append('\n');
            }

            foreach (var paragraph in paragraphs)
            {
                var indent = paragraph.Kind == ParagraphKind.Preformatted ? CodeIndent : TextIndent;
                foreach (var line in paragraph.Layout(Width - indent.Length))
                {
                    output.Append(line.Length == 0 ? "" : indent + line).Append('\n');
                }
            }

            afterHeading = false;
        }

        return output.ToString();
    }
}
