namespace MigrationTools.HelpBuilder;

/// <summary>A related link: its text, and its address when it is on the web (links to other pages have none in MAML).</summary>
internal sealed record LinkHelp(string Text, string Uri);
