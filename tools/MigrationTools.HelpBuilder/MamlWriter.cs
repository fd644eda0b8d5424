using System.Globalization;
using System.Xml.Linq;

namespace MigrationTools.HelpBuilder;

/// <summary>
/// Writes cmdlet help as MAML, the XML that PowerShell's Get-Help reads from &lt;assembly&gt;-Help.xml: one
/// <c>command:command</c> per cmdlet.
/// </summary>
internal static class MamlWriter
{
    public static readonly XNamespace Msh = "http://msh";
    public static readonly XNamespace Maml = "http://schemas.microsoft.com/maml/2004/10";
    public static readonly XNamespace Command = "http://schemas.microsoft.com/maml/dev/command/2004/10";
    public static readonly XNamespace Dev = "http://schemas.microsoft.com/maml/dev/2004/10";

    /// <summary>
    /// The width paragraphs are wrapped to. Get-Help indents them by 4 to 8 columns and breaks longer lines anywhere,
    /// even inside a word; this keeps them whole in an 80-column console.
    /// </summary>
    public const int ParagraphWidth = 72;

    public static XDocument Write(IEnumerable<CommandHelp> commands) => new(
        new XDeclaration("1.0", "utf-8", null),
        new XElement(
            Msh + "helpItems",
            new XAttribute("schema", "maml"),
            new XAttribute(XNamespace.Xmlns + "maml", Maml),
            new XAttribute(XNamespace.Xmlns + "command", Command),
            new XAttribute(XNamespace.Xmlns + "dev", Dev),
            commands.Select(CommandElement)));

    private static XElement CommandElement(CommandHelp help) => new(
        Command + "command",
        new XElement(
            Command + "details",
            new XElement(Command + "name", help.Name),
            new XElement(Command + "verb", help.Verb),
            new XElement(Command + "noun", help.Noun),
            Description(help.Synopsis)),
        Description(help.Description),
        new XElement(
            Command + "syntax",
            help.Syntax.Select(set => new XElement(
                Command + "syntaxItem",
                new XElement(Maml + "name", help.Name),
                set.Parameters.Select(p => Parameter(p, withDescription: false))))),
        new XElement(Command + "parameters", help.Parameters.Select(p => Parameter(p, withDescription: true))),
        new XElement(Command + "inputTypes", help.Inputs.Select(t => TypeElement("inputType", t))),
        new XElement(Command + "returnValues", help.Outputs.Select(t => TypeElement("returnValue", t))),
        new XElement(Maml + "alertSet", new XElement(Maml + "alert", Paragraphs(help.Notes))),
        new XElement(
            Command + "examples",
            help.Examples.Select(example => new XElement(
                Command + "example",
                new XElement(Maml + "title", ExampleTitle(example.Title)),
                new XElement(Dev + "code", example.Code),
                // The empty paragraph leaves a blank line before the next example's title.
                new XElement(Dev + "remarks", Paragraphs(example.Remarks), new XElement(Maml + "para", ""))))),
        new XElement(
            Command + "relatedLinks",
            help.RelatedLinks.Select(link => new XElement(
                Maml + "navigationLink",
                new XElement(Maml + "linkText", link.Text),
                new XElement(Maml + "uri", link.Uri)))));

    private static XElement Parameter(ParameterHelp parameter, bool withDescription)
    {
        var element = new XElement(
            Command + "parameter",
            new XAttribute("required", Lower(parameter.Required)),
            new XAttribute("variableLength", Lower(parameter.Type.EndsWith("[]", StringComparison.Ordinal))),
            new XAttribute("globbing", Lower(parameter.Globbing)),
            new XAttribute("pipelineInput", parameter.PipelineInput),
            new XAttribute("position", parameter.Position?.ToString(CultureInfo.InvariantCulture) ?? "named"),
            new XAttribute("aliases", parameter.Aliases.Count == 0 ? "none" : string.Join(", ", parameter.Aliases)),
            new XElement(Maml + "name", parameter.Name));

        if (withDescription)
        {
            element.Add(Description(parameter.Description));
        }

        // A switch takes no value: the syntax writes it bare, the parameter list as [<SwitchParameter>].
        if (withDescription || !parameter.IsSwitch)
        {
            element.Add(new XElement(
                Command + "parameterValue",
                new XAttribute("required", Lower(!parameter.IsSwitch)),
                new XAttribute("variableLength", "false"),
                parameter.Type));
        }

        element.Add(
            new XElement(Dev + "type", new XElement(Maml + "name", parameter.Type), new XElement(Maml + "uri")),
            new XElement(Dev + "defaultValue", parameter.DefaultValue));
        return element;
    }

    private static XElement TypeElement(string elementName, TypeHelp type) => new(
        Command + elementName,
        new XElement(Dev + "type", new XElement(Maml + "name", type.Name), new XElement(Maml + "uri")),
        Description(type.Description));

    private static XElement Description(IReadOnlyList<HelpParagraph> paragraphs) => new(Maml + "description", Paragraphs(paragraphs));

    private static IEnumerable<XElement> Paragraphs(IReadOnlyList<HelpParagraph> paragraphs) =>
        paragraphs.Select(p => new XElement(Maml + "para", string.Join('\n', p.Layout(ParagraphWidth))));

    /// <summary>Get-Help writes an example's title as it is; the dashes set it apart, as in PowerShell's own help.</summary>
    private static string ExampleTitle(string title) => $"---------- {title} ----------";

    private static string Lower(bool value) => value ? "true" : "false";
}
