using System.Xml.Linq;
using MigrationTools.HelpBuilder;

namespace MigrationTools.Module.Tests.Help;

/// <summary>The MAML the help generator writes: the elements, names and namespaces Get-Help reads.</summary>
public sealed class MamlWriterTests
{
    private const string Msh = "http://msh";
    private const string Maml = "http://schemas.microsoft.com/maml/2004/10";
    private const string Command = "http://schemas.microsoft.com/maml/dev/command/2004/10";
    private const string Dev = "http://schemas.microsoft.com/maml/dev/2004/10";

    private static readonly XNamespace MamlNs = Maml;
    private static readonly XNamespace CommandNs = Command;
    private static readonly XNamespace DevNs = Dev;

    private static XElement Write() =>
        MamlWriter.Write([CommandPageReader.Read(SamplePages.CommandFile, SamplePages.Command)]).Root!;

    [Fact]
    public void IsAHelpItemsDocumentWithOneCommandPerCmdlet()
    {
        var root = Write();

        Assert.Equal(XName.Get("helpItems", Msh), root.Name);
        Assert.Equal("maml", (string?)root.Attribute("schema"));
        Assert.Equal(Maml, root.GetNamespaceOfPrefix("maml")?.NamespaceName);
        Assert.Equal(Command, root.GetNamespaceOfPrefix("command")?.NamespaceName);
        Assert.Equal(Dev, root.GetNamespaceOfPrefix("dev")?.NamespaceName);
        var command = Assert.Single(root.Elements());
        Assert.Equal(CommandNs + "command", command.Name);
        Assert.Equal(
            ["details", "description", "syntax", "parameters", "inputTypes", "returnValues", "alertSet", "examples", "relatedLinks"],
            command.Elements().Select(e => e.Name.LocalName));
    }

    [Fact]
    public void DetailsNameTheCmdletAndHoldItsSynopsis()
    {
        var details = Write().Element(CommandNs + "command")!.Element(CommandNs + "details")!;

        Assert.Equal("Set-Sample", details.Element(CommandNs + "name")?.Value);
        Assert.Equal("Set", details.Element(CommandNs + "verb")?.Value);
        Assert.Equal("Sample", details.Element(CommandNs + "noun")?.Value);
        Assert.Equal(["Sets a sample."], Paragraphs(details.Element(MamlNs + "description")!));
    }

    [Fact]
    public void TheDescriptionIsWrappedParagraphsWithListItemsAndCodeAsWritten()
    {
        var description = Write().Element(CommandNs + "command")!.Element(MamlNs + "description")!;

        var paragraphs = Paragraphs(description);
        Assert.Equal(4, paragraphs.Length);
        Assert.Equal("- First item, continued.", paragraphs[1]);
        Assert.Equal("a code line that is kept as it is, however long it may be, even when it is longer than the width of the help", paragraphs[3]);
        Assert.All(paragraphs[..3], p => Assert.All(p.Split('\n'), line => Assert.True(line.Length <= MamlWriter.ParagraphWidth)));
    }

    [Fact]
    public void EachParameterSetHasASyntaxItemWithItsParametersInTheWrittenOrder()
    {
        var items = Write().Descendants(CommandNs + "syntaxItem").ToArray();

        Assert.Equal(2, items.Length);
        Assert.All(items, item => Assert.Equal("Set-Sample", item.Element(MamlNs + "name")?.Value));
        Assert.Equal(["Name", "Force", "Size", "WhatIf", "Confirm"], items[0].Elements(CommandNs + "parameter").Select(p => p.Element(MamlNs + "name")?.Value));
        Assert.Equal(["Id", "Size", "WhatIf", "Confirm"], items[1].Elements(CommandNs + "parameter").Select(p => p.Element(MamlNs + "name")?.Value));

        // A switch is written bare in the syntax: no value.
        var force = items[0].Elements(CommandNs + "parameter").Single(p => p.Element(MamlNs + "name")?.Value == "Force");
        Assert.Null(force.Element(CommandNs + "parameterValue"));
    }

    [Fact]
    public void ParametersCarryWhatTheirYamlBlocksSay()
    {
        var parameters = Write().Element(CommandNs + "command")!.Element(CommandNs + "parameters")!
            .Elements(CommandNs + "parameter").ToDictionary(p => p.Element(MamlNs + "name")!.Value);

        var name = parameters["Name"];
        Assert.Equal("true", (string?)name.Attribute("required"));
        Assert.Equal("0", (string?)name.Attribute("position"));
        Assert.Equal("True (ByPropertyName)", (string?)name.Attribute("pipelineInput"));
        Assert.Equal("true", (string?)name.Attribute("globbing"));
        Assert.Equal("true", (string?)name.Attribute("variableLength"));
        Assert.Equal("none", (string?)name.Attribute("aliases"));
        Assert.Equal(["The samples' names."], Paragraphs(name.Element(MamlNs + "description")!));
        Assert.Equal("String[]", name.Element(CommandNs + "parameterValue")?.Value);
        Assert.Equal("String[]", name.Element(DevNs + "type")?.Element(MamlNs + "name")?.Value);
        Assert.Equal("None", name.Element(DevNs + "defaultValue")?.Value);

        var id = parameters["Id"];
        Assert.Equal("named", (string?)id.Attribute("position"));
        Assert.Equal("SampleId, Key", (string?)id.Attribute("aliases"));
        Assert.Equal("True (ByValue, ByPropertyName)", (string?)id.Attribute("pipelineInput"));

        var force = parameters["Force"];
        Assert.Equal("false", (string?)force.Attribute("required"));
        Assert.Equal("false", (string?)force.Element(CommandNs + "parameterValue")?.Attribute("required"));
        Assert.Equal("SwitchParameter", force.Element(DevNs + "type")?.Element(MamlNs + "name")?.Value);
        Assert.Equal("0 (unchanged)", parameters["Size"].Element(DevNs + "defaultValue")?.Value);
    }

    [Fact]
    public void InputsOutputsAndNotes()
    {
        var command = Write().Element(CommandNs + "command")!;

        var inputs = command.Element(CommandNs + "inputTypes")!.Elements(CommandNs + "inputType").ToArray();
        Assert.Equal(["System.String", "System.Guid"], inputs.Select(i => i.Element(DevNs + "type")?.Element(MamlNs + "name")?.Value));
        Assert.Equal(["A name or an id."], Paragraphs(inputs[1].Element(MamlNs + "description")!));
        var output = Assert.Single(command.Element(CommandNs + "returnValues")!.Elements(CommandNs + "returnValue"));
        Assert.Equal("None", output.Element(DevNs + "type")?.Element(MamlNs + "name")?.Value);
        Assert.Equal(["Asks for confirmation."], Paragraphs(command.Element(MamlNs + "alertSet")!.Element(MamlNs + "alert")!));
    }

    [Fact]
    public void ExamplesHaveATitleTheirCodeAndRemarks()
    {
        var examples = Write().Descendants(CommandNs + "example").ToArray();

        Assert.Equal(2, examples.Length);
        Assert.Contains("Example 1: Set a sample by name", examples[0].Element(MamlNs + "title")?.Value, StringComparison.Ordinal);
        Assert.Equal("PS> Set-Sample -Name one\nPS> Set-Sample two -Size 10", examples[0].Element(DevNs + "code")?.Value);
        Assert.Equal("The first sample is set.", examples[0].Element(DevNs + "remarks")?.Elements(MamlNs + "para").First().Value);
    }

    [Fact]
    public void RelatedLinksKeepWebAddressesOnly()
    {
        var links = Write().Descendants(MamlNs + "navigationLink")
            .Select(l => (l.Element(MamlNs + "linkText")?.Value, l.Element(MamlNs + "uri")?.Value)).ToArray();

        Assert.Equal([("Get-Sample", ""), ("Online", "https://example.org/set-sample")], links);
    }

    private static string[] Paragraphs(XElement element) =>
        element.Elements(MamlNs + "para").Select(p => p.Value).ToArray();
}
