using System.Text.RegularExpressions;

namespace MigrationTools.Module.Tests;

/// <summary>
/// docs/en-US/&lt;cmdlet&gt;.md against the built assembly: every cmdlet has a page in PlatyPS's layout, and the page
/// documents exactly the cmdlet's parameters, each with the type, sets, aliases, mandatory flag, position and pipeline
/// input the assembly declares, and a syntax block per parameter set.
/// </summary>
public sealed partial class HelpTests(ModuleAssembly module) : IClassFixture<ModuleAssembly>
{
    private static readonly string[] Sections =
        ["SYNOPSIS", "SYNTAX", "DESCRIPTION", "EXAMPLES", "PARAMETERS", "INPUTS", "OUTPUTS", "NOTES", "RELATED LINKS"];

    private static readonly string[] YamlKeys =
        ["Type", "Parameter Sets", "Aliases", "Required", "Position", "Default value", "Accept pipeline input", "Accept wildcard characters"];

    public static TheoryData<string> CmdletNames()
    {
        using var module = new ModuleAssembly();
        return new TheoryData<string>(module.Cmdlets.Select(c => c.Name));
    }

    [Theory]
    [MemberData(nameof(CmdletNames))]
    public void HasAPageInPlatyPSLayout(string name)
    {
        var page = HelpPage.Read(name);

        Assert.Equal("MigrationTools.dll-Help.xml", page.FrontMatter.GetValueOrDefault("external help file"));
        Assert.Equal("MigrationTools", page.FrontMatter.GetValueOrDefault("Module Name"));
        Assert.Equal("2.0.0", page.FrontMatter.GetValueOrDefault("schema"));
        Assert.Equal(name, page.Title);
        Assert.Equal(Sections, page.Sections.Select(s => s.Heading));
        Assert.All(
            ["SYNOPSIS", "DESCRIPTION", "INPUTS", "OUTPUTS", "NOTES"],
            section => Assert.False(string.IsNullOrWhiteSpace(page.Section(section)), $"{name}: ## {section} is empty."));
    }

    [Theory]
    [MemberData(nameof(CmdletNames))]
    public void HasAtLeastTwoExamplesWithCode(string name)
    {
        var examples = HelpPage.Read(name).Subsections("EXAMPLES");

        Assert.True(examples.Count >= 2, $"{name} has {examples.Count} example(s).");
        Assert.All(examples, example =>
        {
            Assert.StartsWith("Example ", example.Heading, StringComparison.Ordinal);
            Assert.Contains("```powershell", example.Body, StringComparison.Ordinal);
            Assert.Contains(name, example.Body, StringComparison.Ordinal);
        });
    }

    [Theory]
    [MemberData(nameof(CmdletNames))]
    public void DocumentsExactlyTheCmdletsParameters(string name)
    {
        var cmdlet = Cmdlet(name);
        var documented = HelpPage.Read(name).Subsections("PARAMETERS").Select(p => p.Heading).ToArray();

        var expected = CmdletParameters.Of(cmdlet.Type).Select(p => "-" + p.Name)
            .Concat(cmdlet.NamedArgument("SupportsShouldProcess") is true ? ["-WhatIf", "-Confirm"] : [])
            .Order(StringComparer.Ordinal);
        Assert.Equal(expected, documented[..^1].Order(StringComparer.Ordinal));
        Assert.Equal("CommonParameters", documented[^1]);
    }

    [Theory]
    [MemberData(nameof(CmdletNames))]
    public void EveryParameterBlockSaysWhatTheAssemblyDeclares(string name)
    {
        var cmdlet = Cmdlet(name);
        var blocks = HelpPage.Read(name).Subsections("PARAMETERS").Where(p => p.Heading.StartsWith('-')).ToDictionary(p => p.Heading[1..]);

        Assert.All(CmdletParameters.Of(cmdlet.Type), parameter =>
        {
            var yaml = Yaml(name, blocks[parameter.Name]);
            var sets = parameter.Sets.Select(s => s.SetName).ToArray();
            var mandatory = parameter.Sets.Select(s => s.Mandatory).Distinct().Single();
            var position = parameter.Sets.Select(s => s.Position).Distinct().Single();
            var pipeline = new[]
            {
                parameter.Sets.Any(s => s.ByPropertyName) ? "ByPropertyName" : null,
                parameter.Sets.Any(s => s.ByValue) ? "ByValue" : null,
            }.OfType<string>().ToArray();

            var where = $"{name} -{parameter.Name}";
            Assert.True(YamlKeys.SequenceEqual(yaml.Keys), $"{where}: the yaml block's keys are {string.Join(", ", yaml.Keys)}.");
            Assert.True(TypeName(parameter.Type) == yaml["Type"], $"{where}: Type is {yaml["Type"]}, the assembly says {TypeName(parameter.Type)}.");
            Assert.Equal(sets.SequenceEqual([CmdletParameters.AllSets]) ? "(All)" : string.Join(", ", sets.Order(StringComparer.Ordinal)), yaml["Parameter Sets"]);
            Assert.Equal(string.Join(", ", parameter.Aliases), yaml["Aliases"]);
            Assert.Equal(mandatory ? "True" : "False", yaml["Required"]);
            Assert.Equal(position?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "Named", yaml["Position"]);
            Assert.Equal(pipeline.Length == 0 ? "False" : $"True ({string.Join(", ", pipeline)})", yaml["Accept pipeline input"]);
            Assert.Equal(
                parameter.HasAttribute("System.Management.Automation.SupportsWildcardsAttribute") ? "True" : "False",
                yaml["Accept wildcard characters"]);
            Assert.False(string.IsNullOrWhiteSpace(yaml["Default value"]), $"{where}: no default value is given.");
            Assert.False(string.IsNullOrWhiteSpace(blocks[parameter.Name].Body.Split("```")[0]), $"{where} has no description.");
        });
    }

    [Theory]
    [MemberData(nameof(CmdletNames))]
    public void HasASyntaxBlockForEachParameterSetNamingItsParameters(string name)
    {
        var cmdlet = Cmdlet(name);
        var syntax = HelpPage.Read(name).Section("SYNTAX");
        var sets = CmdletParameters.SetsOf(cmdlet.Type);
        var defaultSet = cmdlet.NamedArgument("DefaultParameterSetName") as string;
        var documentedSets = SyntaxBlocks(syntax);

        if (sets.SequenceEqual([CmdletParameters.AllSets]))
        {
            Assert.Equal([CmdletParameters.AllSets], documentedSets.Keys);
        }
        else
        {
            // The default set, when it has no parameter of its own, is documented too.
            var expected = sets.Concat(defaultSet is null ? [] : [defaultSet]).Distinct().Order(StringComparer.Ordinal);
            Assert.Equal(expected, documentedSets.Keys.Order(StringComparer.Ordinal));
            // A cmdlet without a default set (one whose sets are told apart by what is piped in) marks none.
            if (defaultSet is not null)
            {
                Assert.Contains($"### {defaultSet} (Default)", syntax, StringComparison.Ordinal);
            }
            else
            {
                Assert.DoesNotContain("(Default)", syntax, StringComparison.Ordinal);
            }
        }

        Assert.All(documentedSets, set =>
        {
            var line = set.Value;
            Assert.StartsWith(name + " ", line, StringComparison.Ordinal);
            Assert.EndsWith("[<CommonParameters>]", line, StringComparison.Ordinal);
            var named = SyntaxParameters().Matches(line[name.Length..]).Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);
            var inSet = CmdletParameters.InSet(cmdlet.Type, set.Key).Select(p => p.Name)
                .Concat(cmdlet.NamedArgument("SupportsShouldProcess") is true ? ["WhatIf", "Confirm"] : []);
            Assert.Equal(inSet.Order(StringComparer.Ordinal), named.Order(StringComparer.Ordinal));
            Assert.All(CmdletParameters.InSet(cmdlet.Type, set.Key), p =>
            {
                var binding = p.Sets.First(s => s.SetName == set.Key || s.SetName == CmdletParameters.AllSets);
                Assert.True(
                    binding.Mandatory == IsWrittenAsMandatory(line, p.Name),
                    $"{name} ({set.Key}): -{p.Name} is {(binding.Mandatory ? "mandatory" : "optional")}, the syntax says otherwise.");
            });
        });
    }

    [Theory]
    [MemberData(nameof(CmdletNames))]
    public void OutputsNameWhatTheCmdletDeclares(string name)
    {
        var outputs = HelpPage.Read(name).Subsections("OUTPUTS").Select(s => s.Heading).ToArray();

        var declared = Cmdlet(name).OutputTypeNames().Select(t => t == "System.Void" ? "None" : t);
        Assert.Equal(declared.Order(StringComparer.Ordinal), outputs.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void TheAboutTopicCoversThePhasesFencingTheJournalAndTheLab()
    {
        var text = File.ReadAllText(Path.Combine(HelpPage.Directory, "about_MigrationTools.md"));

        Assert.StartsWith("# about_MigrationTools", text, StringComparison.Ordinal);
        foreach (var heading in new[] { "# SHORT DESCRIPTION", "# LONG DESCRIPTION", "## The phases of a migration", "## Fencing", "## The journal", "## The lab", "## Errors", "# SEE ALSO" })
        {
            Assert.Contains(heading, text, StringComparison.Ordinal);
        }

        foreach (var phase in new[] { "Begin", "Sync", "Switch", "Complete", "Undo", "Abort" })
        {
            Assert.Contains($"- {phase}", text, StringComparison.Ordinal);
        }

        // Every error identifier is listed where users look for it.
        var ids = typeof(ErrorIds).GetFields().Select(f => (string)f.GetRawConstantValue()!)
            .Except([ErrorIds.InvalidArgument, ErrorIds.InvalidOperation, ErrorIds.UnexpectedOutput, ErrorIds.OperationTimedOut, ErrorIds.OperationCancelled, ErrorIds.UnexpectedError]);
        Assert.All(ids, id => Assert.Contains(id, text, StringComparison.Ordinal));
    }

    [Fact]
    public void EveryPageBelongsToACmdletOrIsAnAboutTopic()
    {
        var pages = Directory.GetFiles(HelpPage.Directory, "*.md").Select(Path.GetFileNameWithoutExtension).ToArray();
        var cmdlets = module.Cmdlets.Select(c => c.Name).ToHashSet();

        Assert.All(pages, page => Assert.True(cmdlets.Contains(page!) || page!.StartsWith("about_", StringComparison.Ordinal), $"{page}.md documents no cmdlet."));
    }

    [GeneratedRegex(@"-([A-Za-z]+)\b")]
    private static partial Regex SyntaxParameters();

    [GeneratedRegex(@"^### (\S+)( \(Default\))?\s*$", RegexOptions.Multiline)]
    private static partial Regex SetHeading();

    private CmdletType Cmdlet(string name) => Assert.Single(module.Cmdlets, c => c.Name == name);

    /// <summary>
    /// True when the syntax line writes the parameter as mandatory: <c>-Name &lt;T&gt;</c>, or <c>[-Name] &lt;T&gt;</c>
    /// when positional. Optional ones are wholly in brackets: <c>[-Name &lt;T&gt;]</c>, <c>[[-Name] &lt;T&gt;]</c>, <c>[-Switch]</c>.
    /// </summary>
    private static bool IsWrittenAsMandatory(string line, string parameter)
    {
        var name = Regex.Escape(parameter);
        return Regex.IsMatch(line, $@"(?<!\[)\[-{name}\] <") || Regex.IsMatch(line, $@"(?<![\[\w-])-{name} <");
    }

    /// <summary>PowerShell's short spelling of a parameter type, as PlatyPS writes it.</summary>
    private static string TypeName(Type type) => type.IsGenericType && type.GetGenericTypeDefinition().FullName == "System.Nullable`1"
        ? TypeName(type.GetGenericArguments()[0])
        : type.Name;

    /// <summary>The syntax code blocks by parameter set; a page without set headings has one for every set.</summary>
    private static Dictionary<string, string> SyntaxBlocks(string syntax)
    {
        var blocks = new Dictionary<string, string>(StringComparer.Ordinal);
        var headings = SetHeading().Matches(syntax);
        if (headings.Count == 0)
        {
            blocks[CmdletParameters.AllSets] = CodeBlock(syntax);
            return blocks;
        }

        for (var i = 0; i < headings.Count; i++)
        {
            var end = i + 1 < headings.Count ? headings[i + 1].Index : syntax.Length;
            var body = syntax[(headings[i].Index + headings[i].Length)..end];
            blocks[headings[i].Groups[1].Value] = CodeBlock(body);
        }

        return blocks;
    }

    private static string CodeBlock(string text)
    {
        var parts = text.Split("```");
        Assert.True(parts.Length == 3, $"Expected one code block in:\n{text}");
        return string.Join(" ", parts[1].Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
    }

    private static Dictionary<string, string> Yaml(string name, HelpSubsection block)
    {
        var start = block.Body.IndexOf("```yaml", StringComparison.Ordinal);
        Assert.True(start >= 0, $"{name} {block.Heading} has no yaml block.");
        var end = block.Body.IndexOf("```", start + 7, StringComparison.Ordinal);
        return block.Body[(start + 7)..end]
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => line.Split(':', 2))
            .ToDictionary(pair => pair[0].Trim(), pair => pair[1].Trim());
    }
}

/// <summary>A <c>###</c> subsection of a help page section: its heading and text.</summary>
public sealed record HelpSubsection(string Heading, string Body);

/// <summary>A help page in PlatyPS markdown: front matter, a title and <c>##</c> sections.</summary>
public sealed record HelpPage(IReadOnlyDictionary<string, string> FrontMatter, string Title, IReadOnlyList<HelpSubsection> Sections)
{
    public static string Directory => Path.Combine(RepositoryLayout.Root, "docs", "en-US");

    public static HelpPage Read(string name)
    {
        var path = Path.Combine(Directory, name + ".md");
        Assert.True(File.Exists(path), $"{name} has no help page at {path}.");
        var text = File.ReadAllText(path).Replace("\r\n", "\n", StringComparison.Ordinal);

        Assert.StartsWith("---\n", text, StringComparison.Ordinal);
        var frontEnd = text.IndexOf("\n---\n", 4, StringComparison.Ordinal);
        var frontMatter = text[4..frontEnd].Split('\n')
            .Select(line => line.Split(':', 2))
            .ToDictionary(pair => pair[0].Trim(), pair => pair.Length > 1 ? pair[1].Trim() : "");
        var body = text[(frontEnd + 5)..];

        var title = body.Split('\n').First(line => line.StartsWith("# ", StringComparison.Ordinal))[2..].Trim();
        return new HelpPage(frontMatter, title, Split(body, "## "));
    }

    public string Section(string heading) => Sections.Single(s => s.Heading == heading).Body;

    public IReadOnlyList<HelpSubsection> Subsections(string heading) => Split(Section(heading), "### ");

    /// <summary>Splits text at lines that start with <paramref name="marker"/>, outside code blocks.</summary>
    private static List<HelpSubsection> Split(string text, string marker)
    {
        var parts = new List<HelpSubsection>();
        string? heading = null;
        var body = new List<string>();
        var inCode = false;
        foreach (var line in text.Split('\n'))
        {
            if (line.StartsWith("```", StringComparison.Ordinal))
            {
                inCode = !inCode;
            }

            if (!inCode && line.StartsWith(marker, StringComparison.Ordinal))
            {
                if (heading is not null)
                {
                    parts.Add(new HelpSubsection(heading, string.Join("\n", body)));
                }

                heading = line[marker.Length..].Trim();
                body.Clear();
            }
            else
            {
                body.Add(line);
            }
        }

        if (heading is not null)
        {
            parts.Add(new HelpSubsection(heading, string.Join("\n", body)));
        }

        return parts;
    }
}
