namespace MigrationTools.HelpBuilder;

/// <summary>
/// One paragraph of help text, in the form help files keep it: prose that may be wrapped, a list item (wrapped after
/// its marker), or lines kept as written (code).
/// </summary>
internal sealed record HelpParagraph(ParagraphKind Kind, string Text, string Marker = "")
{
    public static HelpParagraph Prose(string text) => new(ParagraphKind.Prose, text);

    public static HelpParagraph ListItem(string marker, string text) => new(ParagraphKind.ListItem, text, marker);

    public static HelpParagraph Preformatted(string text) => new(ParagraphKind.Preformatted, text);

    /// <summary>The paragraph laid out in lines of at most <paramref name="width"/> characters where it can be wrapped.</summary>
    public IReadOnlyList<string> Layout(int width) => Kind switch
    {
        ParagraphKind.Prose => TextWrapper.Wrap(Text, width, "", ""),
        ParagraphKind.ListItem => TextWrapper.Wrap(Text, width, Marker, new string(' ', Marker.Length)),
        _ => Text.Split('\n'),
    };
}
