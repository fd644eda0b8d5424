using MigrationTools.HelpBuilder;

namespace MigrationTools.Module.Tests.Help;

/// <summary>The plain text of an about topic, as Get-Help about_Name shows it.</summary>
public sealed class AboutTopicWriterTests
{
    private static string[] Lines() => AboutTopicWriter.Write(SamplePages.AboutFile, SamplePages.About).Split('\n');

    [Fact]
    public void StartsWithTheTopicAndHeadsSectionsInCapitals()
    {
        var lines = Lines();

        Assert.Equal(["TOPIC", "    about_Sample", "", "SHORT DESCRIPTION", "    Samples, briefly.", "", "LONG DESCRIPTION"], lines[..7]);
        Assert.Contains("SEE ALSO", lines);
        Assert.Contains("    Set-Sample", lines);
        Assert.DoesNotContain(lines, line => line.Trim() == "about_Sample" && line != "    about_Sample");
    }

    [Fact]
    public void WrapsTextAtEightyColumnsUnderItsIndent()
    {
        var lines = Lines();

        var start = Array.IndexOf(lines, "LONG DESCRIPTION") + 1;
        Assert.Equal("    A sample is something that stands for the rest. This sentence goes on for", lines[start]);
        Assert.Equal("    long enough that it has to be wrapped at eighty columns.", lines[start + 1]);
        Assert.All(lines, line => Assert.True(line.Length <= AboutTopicWriter.Width || line.StartsWith("        ", StringComparison.Ordinal), line));
    }

    [Fact]
    public void IndentsSubheadingsListItemsAndCode()
    {
        var lines = Lines();

        var start = Array.IndexOf(lines, "  How samples work");
        Assert.True(start > 0, string.Join('\n', lines));
        Assert.Equal(
            [
                "    - One item.",
                "    - Another item, long enough to be wrapped under its first word rather than",
                "      under its marker, so it goes on.",
                "",
                "        PS> Set-Sample -Name one",
            ],
            lines[(start + 1)..(start + 6)]);
    }

    [Fact]
    public void TheModulesAboutTopicIsWritten()
    {
        var path = Path.Combine(HelpPage.Directory, "about_MigrationTools.md");

        var text = AboutTopicWriter.Write(path, File.ReadAllText(path));

        Assert.StartsWith("TOPIC\n    about_MigrationTools\n\nSHORT DESCRIPTION\n    ", text, StringComparison.Ordinal);
        Assert.Contains("\nLONG DESCRIPTION\n", text, StringComparison.Ordinal);
    }
}
