using System.Globalization;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace MigrationTools.HelpBuilder;

/// <summary>
/// Reads a cmdlet's page (PlatyPS layout) into its <see cref="CommandHelp"/>. Anything the help could not be built
/// from, or that contradicts itself (a SYNTAX line against the PARAMETERS blocks), is a <see cref="HelpPageException"/>
/// naming the file, the line and the section.
/// </summary>
internal static class CommandPageReader
{
    public static readonly IReadOnlyList<string> SectionHeadings =
        ["SYNOPSIS", "SYNTAX", "DESCRIPTION", "EXAMPLES", "PARAMETERS", "INPUTS", "OUTPUTS", "NOTES", "RELATED LINKS"];

    public static readonly IReadOnlyList<string> YamlKeys =
        ["Type", "Parameter Sets", "Aliases", "Required", "Position", "Default value", "Accept pipeline input", "Accept wildcard characters"];

    private const string DefaultSetSuffix = " (Default)";

    public static CommandHelp Read(string file, string text)
    {
        var page = MarkdownPage.Parse(file, text);
        var name = Path.GetFileNameWithoutExtension(file);
        if (page.Title != name)
        {
            throw new HelpPageException(file, page.TitleLine, "title", $"the title is '{page.Title}'; the page of {name} must be titled '{name}'.");
        }

        if (!name.Contains('-', StringComparison.Ordinal))
        {
            throw new HelpPageException(file, page.TitleLine, "title", $"'{name}' is not a Verb-Noun command name.");
        }

        if (!page.FrontMatter.TryGetValue("external help file", out var helpFile) || helpFile.Length == 0)
        {
            throw new HelpPageException(file, 1, "front matter", "no 'external help file', the MAML file this page goes into.");
        }

        CheckSections(page);

        var parameters = Parameters(page, page.Section("PARAMETERS"));
        return new CommandHelp(
            name,
            helpFile,
            Text(page, page.Section("SYNOPSIS"), required: true),
            Text(page, page.Section("DESCRIPTION"), required: true),
            Syntax(page, name, page.Section("SYNTAX"), parameters),
            parameters,
            Types(page, page.Section("INPUTS")),
            Types(page, page.Section("OUTPUTS")),
            Examples(page, page.Section("EXAMPLES")),
            Text(page, page.Section("NOTES"), required: false),
            Links(page, page.Section("RELATED LINKS")));
    }

    private static void CheckSections(MarkdownPage page)
    {
        foreach (var section in page.Sections)
        {
            if (!SectionHeadings.Contains(section.Heading, StringComparer.Ordinal))
            {
                throw Error(page, section, $"not a section of a command page (those are {string.Join(", ", SectionHeadings)}).");
            }

            if (page.Sections.Count(s => s.Heading == section.Heading) > 1)
            {
                throw Error(page, section, "the section appears twice.");
            }
        }

        // Section throws for a missing one.
        foreach (var heading in SectionHeadings)
        {
            page.Section(heading);
        }
    }

    private static List<HelpParagraph> Text(MarkdownPage page, MarkdownSection section, bool required)
    {
        if (section.Subsections.Count > 0)
        {
            throw Error(page, section.Subsections[0], $"'###' headings do not belong in {section.Label}.");
        }

        var paragraphs = HelpTextReader.Paragraphs(section.Blocks);
        if (required && paragraphs.All(p => string.IsNullOrWhiteSpace(p.Text)))
        {
            throw Error(page, section, "the section is empty.");
        }

        return paragraphs;
    }

    private static List<ParameterHelp> Parameters(MarkdownPage page, MarkdownSection section)
    {
        var parameters = new List<ParameterHelp>();
        foreach (var block in section.Subsections)
        {
            // PowerShell describes the common parameters itself.
            if (block.Heading == "CommonParameters")
            {
                continue;
            }

            if (!block.Heading.StartsWith('-') || block.Heading.Length < 2 || block.Heading.Contains(' ', StringComparison.Ordinal))
            {
                throw Error(page, block, "a parameter's heading is '### -Name'.");
            }

            var name = block.Heading[1..];
            if (parameters.Any(p => p.Name == name))
            {
                throw Error(page, block, "the parameter is documented twice.");
            }

            var yamlBlocks = block.Blocks.OfType<FencedCodeBlock>().Where(code => code.Info == "yaml").ToArray();
            if (yamlBlocks.Length != 1)
            {
                throw Error(page, block, yamlBlocks.Length == 0
                    ? "the parameter has no ```yaml block (Type, Parameter Sets, Aliases, Required, Position, Default value, Accept pipeline input, Accept wildcard characters)."
                    : "the parameter has more than one ```yaml block.");
            }

            var yamlBlock = yamlBlocks[0];
            var description = HelpTextReader.Paragraphs(block.Blocks.TakeWhile(b => b != yamlBlock));
            if (description.All(p => string.IsNullOrWhiteSpace(p.Text)))
            {
                throw Error(page, block, "the parameter has no description before its yaml block.");
            }

            var yaml = Yaml(page, block, yamlBlock);
            parameters.Add(new ParameterHelp(
                name,
                description,
                yaml["Type"],
                yaml["Parameter Sets"] == "(All)" ? [] : List(yaml["Parameter Sets"]),
                List(yaml["Aliases"]),
                Boolean(page, block, yaml, "Required"),
                Position(page, block, yaml["Position"]),
                yaml["Default value"],
                PipelineInput(page, block, yaml["Accept pipeline input"]),
                Boolean(page, block, yaml, "Accept wildcard characters")));
        }

        if (parameters.Count == 0 && section.Subsections.All(s => s.Heading != "CommonParameters"))
        {
            throw Error(page, section, "no '### -Name' parameter blocks and no '### CommonParameters'.");
        }

        return parameters;
    }

    private static Dictionary<string, string> Yaml(MarkdownPage page, MarkdownSection block, FencedCodeBlock yamlBlock)
    {
        var yaml = new Dictionary<string, string>(StringComparer.Ordinal);
        var lines = HelpTextReader.CodeText(yamlBlock).Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            if (string.IsNullOrWhiteSpace(lines[i]))
            {
                continue;
            }

            var separator = lines[i].IndexOf(':', StringComparison.Ordinal);
            var line = yamlBlock.Line + 2 + i;
            if (separator <= 0)
            {
                throw new HelpPageException(page.File, line, block.Label, $"'{lines[i].Trim()}' is not a 'Key: value' line of the yaml block.");
            }

            var key = lines[i][..separator].Trim();
            if (!YamlKeys.Contains(key, StringComparer.Ordinal))
            {
                throw new HelpPageException(page.File, line, block.Label, $"'{key}' is not a key of a parameter's yaml block (those are {string.Join(", ", YamlKeys)}).");
            }

            if (!yaml.TryAdd(key, lines[i][(separator + 1)..].Trim()))
            {
                throw new HelpPageException(page.File, line, block.Label, $"'{key}' appears twice in the yaml block.");
            }
        }

        var missing = YamlKeys.Where(key => !yaml.ContainsKey(key)).ToArray();
        if (missing.Length > 0)
        {
            throw new HelpPageException(page.File, yamlBlock.Line + 1, block.Label, $"the yaml block lacks {string.Join(", ", missing)}.");
        }

        if (yaml["Type"].Length == 0)
        {
            throw new HelpPageException(page.File, yamlBlock.Line + 1, block.Label, "the yaml block's Type is empty.");
        }

        if (yaml["Default value"].Length == 0)
        {
            throw new HelpPageException(page.File, yamlBlock.Line + 1, block.Label, "the yaml block's Default value is empty (write None when there is none).");
        }

        return yaml;
    }

    private static string[] List(string value) =>
        value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static bool Boolean(MarkdownPage page, MarkdownSection block, Dictionary<string, string> yaml, string key) => yaml[key] switch
    {
        "True" => true,
        "False" => false,
        _ => throw Error(page, block, $"{key} is '{yaml[key]}'; it is True or False."),
    };

    private static int? Position(MarkdownPage page, MarkdownSection block, string value)
    {
        if (value == "Named")
        {
            return null;
        }

        return int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var position)
            ? position
            : throw Error(page, block, $"Position is '{value}'; it is Named or a number.");
    }

    private static string PipelineInput(MarkdownPage page, MarkdownSection block, string value)
    {
        if (value == "False")
        {
            return value;
        }

        const string Prefix = "True (";
        if (value.StartsWith(Prefix, StringComparison.Ordinal) && value.EndsWith(')'))
        {
            var kinds = List(value[Prefix.Length..^1]);
            if (kinds.Length > 0 && kinds.All(k => k is "ByValue" or "ByPropertyName") && kinds.Distinct().Count() == kinds.Length)
            {
                return value;
            }
        }

        throw Error(page, block, $"Accept pipeline input is '{value}'; it is False, or True (ByValue), True (ByPropertyName) or True (ByValue, ByPropertyName).");
    }

    /// <summary>
    /// The syntax of each parameter set, from the SYNTAX section's code blocks (one, or one under each
    /// <c>### SetName</c> heading), checked against the parameter blocks: each line names exactly the parameters of its
    /// set, written as mandatory, positional and typed as their yaml blocks say.
    /// </summary>
    private static List<SyntaxHelp> Syntax(MarkdownPage page, string command, MarkdownSection section, List<ParameterHelp> parameters)
    {
        var sets = new List<(string SetName, bool IsDefault, MarkdownSection Where, IReadOnlyList<Block> Blocks)>();
        if (section.Subsections.Count == 0)
        {
            sets.Add((SyntaxHelp.AllSets, true, section, section.Blocks));
        }
        else
        {
            if (section.Blocks.Any(b => b is CodeBlock))
            {
                throw Error(page, section, "a syntax block stands before the first '### SetName' heading.");
            }

            foreach (var subsection in section.Subsections)
            {
                var isDefault = subsection.Heading.EndsWith(DefaultSetSuffix, StringComparison.Ordinal);
                var setName = isDefault ? subsection.Heading[..^DefaultSetSuffix.Length] : subsection.Heading;
                sets.Add((setName, isDefault, subsection, subsection.Blocks));
            }
        }

        var syntax = new List<SyntaxHelp>();
        foreach (var (setName, isDefault, where, blocks) in sets)
        {
            var codeBlocks = blocks.OfType<CodeBlock>().ToArray();
            if (codeBlocks.Length != 1)
            {
                throw Error(page, where, $"{codeBlocks.Length} code blocks; the syntax of a parameter set is one code block.");
            }

            var line = string.Join(' ', HelpTextReader.CodeText(codeBlocks[0]).Split((char[])[' ', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries));
            var entries = SyntaxEntry.Parse(line, command, out var problem)
                ?? throw Error(page, where, problem);
            syntax.Add(new SyntaxHelp(setName, isDefault, Check(page, where, setName, entries, parameters)));
        }

        if (sets.Count(s => s.IsDefault) > 1)
        {
            throw Error(page, section, "more than one parameter set is marked (Default).");
        }

        var undocumented = parameters.Where(p => !syntax.Any(s => s.Parameters.Contains(p))).Select(p => "-" + p.Name).ToArray();
        if (undocumented.Length > 0)
        {
            throw Error(page, section, $"no syntax line names {string.Join(", ", undocumented)}.");
        }

        return syntax;
    }

    private static List<ParameterHelp> Check(MarkdownPage page, MarkdownSection where, string setName, IReadOnlyList<SyntaxEntry> entries, List<ParameterHelp> parameters)
    {
        var inSet = new List<ParameterHelp>();
        foreach (var entry in entries)
        {
            var parameter = parameters.FirstOrDefault(p => p.Name == entry.Name)
                ?? throw Error(page, where, $"-{entry.Name} has no '### -{entry.Name}' block under PARAMETERS.");
            if (setName == SyntaxHelp.AllSets ? parameter.ParameterSets.Count > 0 : !parameter.IsIn(setName))
            {
                throw Error(page, where, setName == SyntaxHelp.AllSets
                    ? $"-{entry.Name} is in the parameter sets {string.Join(", ", parameter.ParameterSets)}: write the syntax of each set under a '### SetName' heading."
                    : $"-{entry.Name} is not in the parameter set {setName} (its Parameter Sets: {string.Join(", ", parameter.ParameterSets)}).");
            }

            if (inSet.Contains(parameter))
            {
                throw Error(page, where, $"-{entry.Name} appears twice.");
            }

            if (entry.Mandatory != parameter.Required)
            {
                throw Error(page, where, $"-{entry.Name} is written as {(entry.Mandatory ? "mandatory" : "optional")}; its yaml block says Required: {parameter.Required}.");
            }

            if (entry.Positional != parameter.Position.HasValue)
            {
                throw Error(page, where, $"-{entry.Name} is written as {(entry.Positional ? "positional" : "named")}; its yaml block says Position: {parameter.Position?.ToString(CultureInfo.InvariantCulture) ?? "Named"}.");
            }

            if ((entry.Type ?? "SwitchParameter") != parameter.Type)
            {
                throw Error(page, where, $"-{entry.Name} is written with the type {entry.Type ?? "of a switch"}; its yaml block says Type: {parameter.Type}.");
            }

            inSet.Add(parameter);
        }

        var missing = parameters.Where(p => p.IsIn(setName) && !inSet.Contains(p)).Select(p => "-" + p.Name).ToArray();
        if (missing.Length > 0)
        {
            throw Error(page, where, $"the syntax line lacks {string.Join(", ", missing)}, which the parameter set {(setName == SyntaxHelp.AllSets ? "(All)" : setName)} has.");
        }

        return inSet;
    }

    private static List<TypeHelp> Types(MarkdownPage page, MarkdownSection section)
    {
        if (section.Subsections.Count == 0)
        {
            throw Error(page, section, "no '### TypeName' subsection (write '### None' when there is none).");
        }

        if (HelpTextReader.Paragraphs(section.Blocks).Count > 0)
        {
            throw Error(page, section, "text before the first '### TypeName' subsection.");
        }

        return section.Subsections.Select(s => new TypeHelp(s.Heading, HelpTextReader.Paragraphs(s.Blocks))).ToList();
    }

    /// <summary>
    /// Each <c>### Example</c>: its first code block (or run of code blocks) is the example's code; the text before and
    /// after it, with any later code, are its remarks.
    /// </summary>
    private static List<ExampleHelp> Examples(MarkdownPage page, MarkdownSection section)
    {
        if (section.Subsections.Count == 0)
        {
            throw Error(page, section, "no '### Example' subsection.");
        }

        var examples = new List<ExampleHelp>();
        foreach (var example in section.Subsections)
        {
            var blocks = example.Blocks;
            var first = blocks.ToList().FindIndex(b => b is CodeBlock);
            if (first < 0)
            {
                throw Error(page, example, "the example has no code block.");
            }

            var end = first;
            while (end < blocks.Count && blocks[end] is CodeBlock)
            {
                end++;
            }

            var code = string.Join("\n\n", blocks.Skip(first).Take(end - first).Select(b => HelpTextReader.CodeText((LeafBlock)b)));
            var remarks = HelpTextReader.Paragraphs(blocks.Take(first).Concat(blocks.Skip(end)));
            examples.Add(new ExampleHelp(example.Heading, code, remarks));
        }

        return examples;
    }

    /// <summary>The links of RELATED LINKS: a link to a web page keeps its address; one to another page is its name.</summary>
    private static List<LinkHelp> Links(MarkdownPage page, MarkdownSection section)
    {
        var links = new List<LinkHelp>();
        if (page.FrontMatter.TryGetValue("online version", out var online) && online.Length > 0)
        {
            links.Add(new LinkHelp("Online Version:", online));
        }

        foreach (var block in section.Blocks.Concat(section.Subsections.SelectMany(s => s.Blocks)))
        {
            if (block is not ParagraphBlock { Inline: not null } paragraph)
            {
                continue;
            }

            foreach (var link in paragraph.Inline.Descendants<LinkInline>())
            {
                var url = link.Url ?? "";
                var isWeb = url.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || url.StartsWith("https://", StringComparison.OrdinalIgnoreCase);
                links.Add(new LinkHelp(HelpTextReader.InlineText(link), isWeb ? url : ""));
            }
        }

        return links;
    }

    private static HelpPageException Error(MarkdownPage page, MarkdownSection section, string problem) =>
        new(page.File, section.Line, section.Label, problem);
}
