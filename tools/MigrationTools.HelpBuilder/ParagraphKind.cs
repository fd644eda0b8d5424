namespace MigrationTools.HelpBuilder;

/// <summary>How a <see cref="HelpParagraph"/> is laid out.</summary>
internal enum ParagraphKind
{
    /// <summary>Running text, wrapped to the width of the help.</summary>
    Prose,

    /// <summary>A list item: its marker, then running text wrapped under its first word.</summary>
    ListItem,

    /// <summary>Code or console output: the lines as written.</summary>
    Preformatted,
}
