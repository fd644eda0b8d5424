using Markdig.Syntax;

namespace MigrationTools.HelpBuilder;

/// <summary>
/// A <c>##</c> or <c>###</c> section of a help page: its heading, the blocks before its first subsection, and its
/// <c>###</c> subsections.
/// </summary>
internal sealed record MarkdownSection(string Heading, int Line, IReadOnlyList<Block> Blocks, IReadOnlyList<MarkdownSection> Subsections)
{
    /// <summary>"## SYNOPSIS" or "### -Name": how error messages name the section.</summary>
    public string Label { get; init; } = Heading;
}
