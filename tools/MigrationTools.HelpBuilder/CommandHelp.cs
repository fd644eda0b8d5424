namespace MigrationTools.HelpBuilder;

/// <summary>The help of one cmdlet, as its page in docs/en-US gives it.</summary>
internal sealed record CommandHelp(
    string Name,
    string HelpFile,
    IReadOnlyList<HelpParagraph> Synopsis,
    IReadOnlyList<HelpParagraph> Description,
    IReadOnlyList<SyntaxHelp> Syntax,
    IReadOnlyList<ParameterHelp> Parameters,
    IReadOnlyList<TypeHelp> Inputs,
    IReadOnlyList<TypeHelp> Outputs,
    IReadOnlyList<ExampleHelp> Examples,
    IReadOnlyList<HelpParagraph> Notes,
    IReadOnlyList<LinkHelp> RelatedLinks)
{
    public string Verb => Name.Split('-', 2)[0];

    public string Noun => Name.Split('-', 2)[1];
}
