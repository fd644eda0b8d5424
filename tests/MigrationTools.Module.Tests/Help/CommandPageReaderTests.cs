using MigrationTools.HelpBuilder;

namespace MigrationTools.Module.Tests.Help;

/// <summary>What the help generator reads from each section of a cmdlet's page.</summary>
public sealed class CommandPageReaderTests
{
    private static CommandHelp Read(string text) => CommandPageReader.Read(SamplePages.CommandFile, text);

    [Fact]
    public void ReadsTheNameAndTheHelpFileFromTheTitleAndTheFrontMatter()
    {
        var help = Read(SamplePages.Command);

        Assert.Equal("Set-Sample", help.Name);
        Assert.Equal(("Set", "Sample"), (help.Verb, help.Noun));
        Assert.Equal("Sample.dll-Help.xml", help.HelpFile);
    }

    [Fact]
    public void ReadsTheSynopsisAndTheDescriptionAsPlainText()
    {
        var help = Read(SamplePages.Command);

        Assert.Equal([HelpParagraph.Prose("Sets a sample.")], help.Synopsis);
        Assert.Equal(
            [
                HelpParagraph.Prose("Sets the sample named by -Name or -Id, with code and a link."),
                HelpParagraph.ListItem("- ", "First item, continued."),
                HelpParagraph.ListItem("- ", "Second item."),
                HelpParagraph.Preformatted("a code line that is kept as it is, however long it may be, even when it is longer than the width of the help"),
            ],
            help.Description);
    }

    [Fact]
    public void ReadsEachParameterBlock()
    {
        var parameters = Read(SamplePages.Command).Parameters.ToDictionary(p => p.Name);

        Assert.Equal(["Confirm", "Force", "Id", "Name", "Size", "WhatIf"], parameters.Keys);
        var id = parameters["Id"];
        Assert.Equal([HelpParagraph.Prose("The sample's id.")], id.Description);
        Assert.Equal("Guid", id.Type);
        Assert.Equal(["ById"], id.ParameterSets);
        Assert.Equal(["SampleId", "Key"], id.Aliases);
        Assert.True(id.Required);
        Assert.Null(id.Position);
        Assert.Equal("True (ByValue, ByPropertyName)", id.PipelineInput);
        Assert.False(id.Globbing);

        var name = parameters["Name"];
        Assert.Equal(0, name.Position);
        Assert.True(name.Globbing);
        Assert.Empty(name.Aliases);
        Assert.Equal("String[]", name.Type);

        Assert.Empty(parameters["Size"].ParameterSets);
        Assert.Equal("0 (unchanged)", parameters["Size"].DefaultValue);
        Assert.True(parameters["Force"].IsSwitch);
    }

    [Fact]
    public void ReadsTheSyntaxOfEachParameterSetInTheOrderItIsWritten()
    {
        var syntax = Read(SamplePages.Command).Syntax;

        Assert.Equal(["ByName", "ById"], syntax.Select(s => s.SetName));
        Assert.Equal([true, false], syntax.Select(s => s.IsDefault));
        Assert.Equal(["Name", "Force", "Size", "WhatIf", "Confirm"], syntax[0].Parameters.Select(p => p.Name));
        Assert.Equal(["Id", "Size", "WhatIf", "Confirm"], syntax[1].Parameters.Select(p => p.Name));
    }

    [Fact]
    public void ASyntaxWithoutSetHeadingsIsTheSyntaxOfEverySet()
    {
        var page = SamplePages.Command;
        page = page[..page.IndexOf("## SYNTAX", StringComparison.Ordinal)]
            + "## SYNTAX\n\n```\nSet-Sample [-Size <Int64>] [-WhatIf] [-Confirm] [<CommonParameters>]\n```\n\n"
            + page[page.IndexOf("## DESCRIPTION", StringComparison.Ordinal)..];
        page = RemoveParameter(RemoveParameter(RemoveParameter(page, "Force"), "Id"), "Name");

        var syntax = Assert.Single(Read(page).Syntax);

        Assert.Equal(SyntaxHelp.AllSets, syntax.SetName);
        Assert.Equal(["Size", "WhatIf", "Confirm"], syntax.Parameters.Select(p => p.Name));
    }

    [Fact]
    public void ReadsExamplesAsTheirCodeAndTheTextAroundIt()
    {
        var examples = Read(SamplePages.Command).Examples;

        Assert.Equal(["Example 1: Set a sample by name", "Example 2: Set one by id"], examples.Select(e => e.Title));
        Assert.Equal("PS> Set-Sample -Name one\nPS> Set-Sample two -Size 10", examples[0].Code);
        Assert.Equal([HelpParagraph.Prose("The first sample is set.")], examples[0].Remarks);
        Assert.Equal("PS> Set-Sample -Id 6f2d2f7e-8d2b-4f2a-9d55-2a3c2b1e0f00", examples[1].Code);
        Assert.Equal([HelpParagraph.Prose("Given an id:")], examples[1].Remarks);
    }

    [Fact]
    public void ReadsInputsOutputsNotesAndLinks()
    {
        var help = Read(SamplePages.Command);

        Assert.Equal(["System.String", "System.Guid"], help.Inputs.Select(t => t.Name));
        Assert.Empty(help.Inputs[0].Description);
        Assert.Equal([HelpParagraph.Prose("A name or an id.")], help.Inputs[1].Description);
        var output = Assert.Single(help.Outputs);
        Assert.Equal("None", output.Name);
        Assert.Empty(output.Description);
        Assert.Equal([HelpParagraph.Prose("Asks for confirmation.")], help.Notes);
        Assert.Equal([new LinkHelp("Get-Sample", ""), new LinkHelp("Online", "https://example.org/set-sample")], help.RelatedLinks);
    }

    [Fact]
    public void AnOnlineVersionInTheFrontMatterIsTheFirstLink()
    {
        var help = Read(SamplePages.CommandWith("online version:\n", "online version: https://example.org/help\n"));

        Assert.Equal(new LinkHelp("Online Version:", "https://example.org/help"), help.RelatedLinks[0]);
    }

    [Fact]
    public void EveryPageOfTheModuleReads()
    {
        var pages = Directory.GetFiles(HelpPage.Directory, "*.md").Where(p => !Path.GetFileName(p).StartsWith("about_", StringComparison.Ordinal)).ToArray();

        Assert.NotEmpty(pages);
        Assert.All(pages, page =>
        {
            var help = CommandPageReader.Read(page, File.ReadAllText(page));
            Assert.Equal("MigrationTools.dll-Help.xml", help.HelpFile);
            Assert.NotEmpty(help.Syntax);
        });
    }

    private static string RemoveParameter(string page, string name)
    {
        var start = page.IndexOf($"### -{name}\n", StringComparison.Ordinal);
        var end = page.IndexOf("### ", start + 4, StringComparison.Ordinal);
        return page[..start] + page[end..];
    }
}
