namespace MigrationTools.HelpBuilder;

/// <summary>An input or output type (a <c>###</c> heading of INPUTS or OUTPUTS) and what the page says about it.</summary>
internal sealed record TypeHelp(string Name, IReadOnlyList<HelpParagraph> Description);
