using MigrationTools.Cli.Options;

namespace MigrationTools.Cli.Tests;

public sealed class ValueParserTests
{
    [Theory]
    [InlineData("0", 0L)]
    [InlineData("4096", 4096L)]
    [InlineData("16M", 16L << 20)]
    [InlineData("16m", 16L << 20)]
    [InlineData("2GiB", 2L << 30)]
    [InlineData("512KB", 512L << 10)]
    [InlineData("1T", 1L << 40)]
    public void ASizeIsBytesWithABinarySuffix(string text, long bytes) => Assert.Equal(bytes, ValueParsers.ParseSize(text));

    [Theory]
    [InlineData("")]
    [InlineData("M")]
    [InlineData("-1")]
    [InlineData("1.5G")]
    [InlineData("16Q")]
    [InlineData("99999999999T")]
    public void AnythingElseIsNotASize(string text) => Assert.Null(ValueParsers.ParseSize(text));

    [Theory]
    [InlineData("before-freeze:controller:./drain.sh web", null)]
    [InlineData("after-commit:source:a:b:c", null)]
    [InlineData("after-commit:source:   ", "is not a hook")]
    [InlineData("before-freeze", "is not a hook")]
    public void AHookIsStageWhereAndCommand(string text, string? error)
    {
        var fault = MigrationSettingsOptions.ParseHook(text, out var hook);

        if (error is null)
        {
            Assert.Null(fault);
            Assert.Equal(text.Split(':', 3)[2], hook.Command);
        }
        else
        {
            Assert.Contains(error, fault, StringComparison.Ordinal);
        }
    }
}
