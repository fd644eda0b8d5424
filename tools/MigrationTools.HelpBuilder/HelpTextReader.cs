using System.Globalization;
using System.Text;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace MigrationTools.HelpBuilder;

/// <summary>Markdown blocks and inlines as plain help text: what a reader of Get-Help sees, without markdown's markup.</summary>
internal static class HelpTextReader
{
    /// <summary>The paragraphs of <paramref name="blocks"/>; code blocks keep their lines, lists become list items.</summary>
    public static List<HelpParagraph> Paragraphs(IEnumerable<Block> blocks)
    {
        var paragraphs = new List<HelpParagraph>();
        foreach (var block in blocks)
        {
            Add(paragraphs, block, "");
        }

        return paragraphs;
    }

    /// <summary>The text of inlines: code spans without their backticks, links as their text, soft line breaks as spaces.</summary>
    public static string InlineText(ContainerInline? inlines)
    {
        var text = new StringBuilder();
        Append(text, inlines);
        return string.Join(' ', text.ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries));
    }

    /// <summary>The lines of a code block, as written.</summary>
    public static string CodeText(LeafBlock code) =>
        string.Join('\n', code.Lines.Lines.Take(code.Lines.Count).Select(line => line.Slice.ToString()));

    private static void Add(List<HelpParagraph> paragraphs, Block block, string indent)
    {
        switch (block)
        {
            case ParagraphBlock paragraph:
                paragraphs.Add(indent.Length == 0
                    ? HelpParagraph.Prose(InlineText(paragraph.Inline))
                    : HelpParagraph.ListItem(indent, InlineText(paragraph.Inline)));
                break;
            case HeadingBlock heading:
                paragraphs.Add(HelpParagraph.Prose(InlineText(heading.Inline)));
                break;
            case CodeBlock code:
                paragraphs.Add(HelpParagraph.Preformatted(CodeText(code)));
                break;
            case ListBlock list:
                var number = int.TryParse(list.OrderedStart, NumberStyles.Integer, CultureInfo.InvariantCulture, out var start) ? start : 1;
                foreach (var item in list.OfType<ListItemBlock>())
                {
                    AddListItem(paragraphs, item, indent, list.IsOrdered ? $"{number++}. " : "- ");
                }

                break;
            case QuoteBlock quote:
                foreach (var child in quote)
                {
                    Add(paragraphs, child, indent);
                }

                break;
            default:
                // Thematic breaks and link reference definitions have no text to show.
                break;
        }
    }

    /// <summary>
    /// A list item's first paragraph follows its marker; the item's further paragraphs and nested lists are indented
    /// under it.
    /// </summary>
    private static void AddListItem(List<HelpParagraph> paragraphs, ListItemBlock item, string indent, string marker)
    {
        var first = true;
        foreach (var child in item)
        {
            if (first && child is ParagraphBlock paragraph)
            {
                paragraphs.Add(HelpParagraph.ListItem(indent + marker, InlineText(paragraph.Inline)));
            }
            else
            {
                Add(paragraphs, child, indent + new string(' ', marker.Length));
            }

            first = false;
        }
    }

    private static void Append(StringBuilder text, Inline? inline)
    {
        switch (inline)
        {
            case null:
                break;
            case LiteralInline literal:
                text.Append(literal.Content.ToString());
                break;
            case CodeInline code:
                text.Append(code.Content);
                break;
            case LineBreakInline:
                text.Append(' ');
                break;
            case AutolinkInline autolink:
                text.Append(autolink.Url);
                break;
            case HtmlEntityInline entity:
                text.Append(entity.Transcoded.ToString());
                break;
            case HtmlInline html:
                text.Append(html.Tag);
                break;
            case ContainerInline container:
                foreach (var child in container)
                {
                    Append(text, child);
                }

                break;
            default:
                break;
        }
    }
}
