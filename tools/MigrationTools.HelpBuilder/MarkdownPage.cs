using Markdig;
using Markdig.Extensions.Yaml;
using Markdig.Syntax;

namespace MigrationTools.HelpBuilder;

/// <summary>A help page in PlatyPS markdown, split into its front matter, its title and its <c>##</c> sections.</summary>
internal sealed class MarkdownPage
{
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder().UseYamlFrontMatter().Build();

    private MarkdownPage(string file, IReadOnlyDictionary<string, string> frontMatter, string title, int titleLine, IReadOnlyList<MarkdownSection> sections)
    {
        File = file;
        FrontMatter = frontMatter;
        Title = title;
        TitleLine = titleLine;
        Sections = sections;
    }

    /// <summary>The page's file name, for messages.</summary>
    public string File { get; }

    public IReadOnlyDictionary<string, string> FrontMatter { get; }

    /// <summary>The text of the page's <c>#</c> heading.</summary>
    public string Title { get; }

    public int TitleLine { get; }

    public IReadOnlyList<MarkdownSection> Sections { get; }

    /// <summary>Parses a command page: YAML front matter, one <c>#</c> title, then <c>##</c> sections with <c>###</c> subsections.</summary>
    public static MarkdownPage Parse(string file, string text)
    {
        var document = Markdown.Parse(text, Pipeline);
        var frontMatter = new Dictionary<string, string>(StringComparer.Ordinal);
        string? title = null;
        var titleLine = 1;
        var sections = new List<(HeadingBlock Heading, List<Block> Blocks)>();

        foreach (var block in document)
        {
            switch (block)
            {
                case YamlFrontMatterBlock yaml:
                    foreach (var line in yaml.Lines.ToString().Split('\n'))
                    {
                        var separator = line.IndexOf(':', StringComparison.Ordinal);
                        if (separator > 0)
                        {
                            frontMatter[line[..separator].Trim()] = line[(separator + 1)..].Trim();
                        }
                    }

                    break;
                case HeadingBlock { Level: 1 } heading when title is null && sections.Count == 0:
                    title = HelpTextReader.InlineText(heading.Inline);
                    titleLine = heading.Line + 1;
                    break;
                case HeadingBlock { Level: 1 or 2 } heading:
                    if (heading.Level == 1)
                    {
                        throw new HelpPageException(file, heading.Line + 1, "title", "a page has one '#' heading, its title; sections are '##' headings.");
                    }

                    sections.Add((heading, []));
                    break;
                default:
                    if (sections.Count > 0)
                    {
                        sections[^1].Blocks.Add(block);
                    }
                    else if (title is not null && block is not LinkReferenceDefinitionGroup)
                    {
                        throw new HelpPageException(file, block.Line + 1, "title", "text between the title and the first '##' section.");
                    }

                    break;
            }
        }

        if (title is null)
        {
            throw new HelpPageException(file, 1, "title", "the page has no '#' title.");
        }

        return new MarkdownPage(file, frontMatter, title, titleLine, sections.Select(s => Split(s.Heading, s.Blocks)).ToArray());
    }

    /// <summary>The section whose heading is <paramref name="heading"/>; none is an error naming the page.</summary>
    public MarkdownSection Section(string heading) =>
        Sections.FirstOrDefault(s => s.Heading == heading)
        ?? throw new HelpPageException(File, TitleLine, "## " + heading, "the section is missing.");

    private static MarkdownSection Split(HeadingBlock heading, List<Block> blocks)
    {
        var lead = new List<Block>();
        var subsections = new List<(HeadingBlock Heading, List<Block> Blocks)>();
        foreach (var block in blocks)
        {
            if (block is HeadingBlock { Level: 3 } subheading)
            {
                subsections.Add((subheading, []));
            }
            else if (subsections.Count > 0)
            {
                subsections[^1].Blocks.Add(block);
            }
            else
            {
                lead.Add(block);
            }
        }

        var text = HelpTextReader.InlineText(heading.Inline);
        return new MarkdownSection(
            text,
            heading.Line + 1,
            lead,
            subsections.Select(s =>
            {
                var subheading = HelpTextReader.InlineText(s.Heading.Inline);
                return new MarkdownSection(subheading, s.Heading.Line + 1, s.Blocks, []) { Label = "### " + subheading };
            }).ToArray())
        {
            Label = "## " + text,
        };
    }
}
