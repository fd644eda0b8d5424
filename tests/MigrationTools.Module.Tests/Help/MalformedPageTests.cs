using MigrationTools.HelpBuilder;

namespace MigrationTools.Module.Tests.Help;

/// <summary>
/// A page the help cannot be built from fails the build with a message naming the file, the line and the section, and
/// saying what is wrong.
/// </summary>
public sealed class MalformedPageTests
{
    [Fact]
    public void AParameterWithoutAYamlBlockIsNamed()
    {
        var page = SamplePages.CommandWith(
            "The new size, in bytes.\n\n```yaml\nType: Int64\nParameter Sets: (All)\nAliases:\n\nRequired: False\nPosition: Named\nDefault value: 0 (unchanged)\nAccept pipeline input: False\nAccept wildcard characters: False\n```\n",
            "The new size, in bytes.\n");

        var error = Fail(page);

        Assert.Equal("### -Size", error.Section);
        Assert.Contains("no ```yaml block", error.Problem, StringComparison.Ordinal);
        Assert.Equal(LineOf(page, "### -Size"), error.Line);
        Assert.StartsWith($"{SamplePages.CommandFile}, line {error.Line}, ### -Size: ", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Required: True\nPosition: 0", "Required: Maybe\nPosition: 0", "### -Name", "Required is 'Maybe'")]
    [InlineData("Type: Guid\n", "Type:\n", "### -Id", "Type is empty")]
    [InlineData("Default value: 0 (unchanged)\n", "Default value:\n", "### -Size", "Default value is empty")]
    [InlineData("Accept pipeline input: True (ByPropertyName)", "Accept pipeline input: Yes", "### -Name", "Accept pipeline input is 'Yes'")]
    [InlineData("Position: 0\n", "Position: first\n", "### -Name", "Position is 'first'")]
    [InlineData("Accept wildcard characters: True\n", "", "### -Name", "lacks Accept wildcard characters")]
    [InlineData("Aliases: cf\n", "Aliases: cf\nMandatory: False\n", "### -Confirm", "'Mandatory' is not a key")]
    [InlineData("### -Size\nThe new size, in bytes.\n", "### -Size\n", "### -Size", "no description")]
    [InlineData("### -Force\n", "### Force\n", "### Force", "'### -Name'")]
    public void AParameterBlockThatSaysTooLittleOrWhatCannotBeIsNamed(string oldText, string newText, string section, string problem)
    {
        var error = Fail(SamplePages.CommandWith(oldText, newText));

        Assert.Equal(section, error.Section);
        Assert.Contains(problem, error.Problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[-Name] <String[]> [-Force]", "-Name <String[]> [-Force]", "### ByName (Default)", "-Name is written as named; its yaml block says Position: 0")]
    [InlineData("[-Name] <String[]> [-Force]", "[[-Name] <String[]>] [-Force]", "### ByName (Default)", "-Name is written as optional; its yaml block says Required: True")]
    [InlineData("-Id <Guid> [-Size <Int64>]", "-Id <Guid> [-Size <Int32>]", "### ById", "-Size is written with the type Int32; its yaml block says Type: Int64")]
    [InlineData("-Id <Guid> [-Size <Int64>]", "-Id <Guid>", "### ById", "lacks -Size")]
    [InlineData("-Id <Guid> [-Size <Int64>]", "-Id <Guid> [-Size <Int64>] [-Force]", "### ById", "-Force is not in the parameter set ById")]
    [InlineData("-Id <Guid> [-Size <Int64>]", "-Id <Guid> [-Size <Int64>] [-Color <String>]", "### ById", "-Color has no '### -Color' block")]
    [InlineData("[-WhatIf] [-Confirm] [<CommonParameters>]\n```\n\n### ById", "[-WhatIf] [-Confirm]\n```\n\n### ById", "### ByName (Default)", "does not end with [<CommonParameters>]")]
    [InlineData("### ById\n", "### ById (Default)\n", "## SYNTAX", "more than one parameter set is marked (Default)")]
    public void ASyntaxLineThatContradictsTheParameterBlocksIsNamed(string oldText, string newText, string section, string problem)
    {
        var error = Fail(SamplePages.CommandWith(oldText, newText));

        Assert.Equal(section, error.Section);
        Assert.Contains(problem, error.Problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("## NOTES\nAsks for confirmation.\n\n", "", "## NOTES", "the section is missing")]
    [InlineData("## SYNOPSIS\nSets a sample.\n", "## SYNOPSIS\n", "## SYNOPSIS", "the section is empty")]
    [InlineData("## NOTES\n", "## REMARKS\n", "## REMARKS", "not a section of a command page")]
    [InlineData("### None\n", "", "## OUTPUTS", "no '### TypeName' subsection")]
    [InlineData("# Set-Sample\n", "# Set-Other\n", "title", "the page of Set-Sample must be titled 'Set-Sample'")]
    [InlineData("external help file: Sample.dll-Help.xml\n", "", "front matter", "no 'external help file'")]
    public void APageWithoutWhatHelpNeedsIsNamed(string oldText, string newText, string section, string problem)
    {
        var error = Fail(SamplePages.CommandWith(oldText, newText));

        Assert.Equal(section, error.Section);
        Assert.Contains(problem, error.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void AnExampleWithoutCodeIsNamed()
    {
        var error = Fail(SamplePages.CommandWith(
            "Given an id:\n\n```powershell\nPS> Set-Sample -Id 6f2d2f7e-8d2b-4f2a-9d55-2a3c2b1e0f00\n```\n",
            "Given an id, nothing.\n"));

        Assert.Equal("### Example 2: Set one by id", error.Section);
        Assert.Equal("the example has no code block.", error.Problem);
    }

    [Fact]
    public void AnAboutTopicWithoutItsTitleIsNamed()
    {
        var error = Assert.Throws<HelpPageException>(() => AboutTopicWriter.Write(SamplePages.AboutFile, SamplePages.About.Replace("# about_Sample\n", "# Samples\n", StringComparison.Ordinal)));

        Assert.Equal("title", error.Section);
        Assert.Contains("'# about_Sample'", error.Problem, StringComparison.Ordinal);
    }

    private static HelpPageException Fail(string page) =>
        Assert.Throws<HelpPageException>(() => CommandPageReader.Read(SamplePages.CommandFile, page));

    private static int LineOf(string page, string line) =>
        Array.IndexOf(page.Split('\n'), line) + 1;
}
