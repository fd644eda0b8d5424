using MigrationTools.HelpBuilder;

namespace MigrationTools.Module.Tests.Help;

/// <summary>Word wrapping of help text.</summary>
public sealed class TextWrapperTests
{
    [Fact]
    public void BreaksAtSpacesWithinTheWidth()
    {
        Assert.Equal(["one two", "three"], TextWrapper.Wrap("one two three", 8, "", ""));
    }

    [Fact]
    public void PrefixesTheFirstLineAndTheOthers()
    {
        Assert.Equal(["- one two", "  three"], TextWrapper.Wrap("one two three", 9, "- ", "  "));
    }

    [Fact]
    public void AWordLongerThanALineGetsALineOfItsOwn()
    {
        Assert.Equal(["a", "/a/very/long/path", "b"], TextWrapper.Wrap("a /a/very/long/path b", 6, "", ""));
    }
}
