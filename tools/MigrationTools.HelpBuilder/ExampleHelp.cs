namespace MigrationTools.HelpBuilder;

/// <summary>An example: its <c>###</c> heading, its code as written, and the text around it.</summary>
internal sealed record ExampleHelp(string Title, string Code, IReadOnlyList<HelpParagraph> Remarks);
