namespace MigrationTools.Module.Tests;

public class PowerShellDataFileTests
{
    [Fact]
    public void ReadsHashtableWithNewlineSeparators()
    {
        var table = PowerShellDataFile.ParseHashtable("""
            @{
                Name = 'one'
                Other = "two"
            }
            """);

        Assert.Equal(2, table.Count);
        Assert.Equal("one", table["Name"]);
        Assert.Equal("two", table["Other"]);
    }

    [Fact]
    public void ReadsHashtableWithSemicolonSeparators()
    {
        var table = PowerShellDataFile.ParseHashtable("@{ A = 'a'; B = 'b';; C = 'c'; }");

        Assert.Equal(["A", "B", "C"], table.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("c", table["C"]);
    }

    [Fact]
    public void KeysAreCaseInsensitiveAndMayBeQuoted()
    {
        var table = PowerShellDataFile.ParseHashtable("@{ ModuleVersion = '1.0'; 'Quoted Key' = 1; \"Double\" = 2 }");

        Assert.Equal("1.0", table["moduleversion"]);
        Assert.Equal(1, table["quoted key"]);
        Assert.Equal(2, table["DOUBLE"]);
    }

    [Fact]
    public void ReadsEmptyHashtable()
    {
        Assert.Empty(PowerShellDataFile.ParseHashtable("@{}"));
        Assert.Empty(PowerShellDataFile.ParseHashtable("@{\n\n}"));
    }

    [Theory]
    [InlineData("'plain'", "plain")]
    [InlineData("''", "")]
    [InlineData("'it''s'", "it's")]
    [InlineData("''''", "'")]
    [InlineData("'no $expansion `n here'", "no $expansion `n here")]
    [InlineData("'# not a comment'", "# not a comment")]
    [InlineData("'two\nlines'", "two\nlines")]
    public void ReadsSingleQuotedStrings(string literal, string expected)
    {
        Assert.Equal(expected, PowerShellDataFile.Parse(literal));
    }

    [Theory]
    [InlineData("\"plain\"", "plain")]
    [InlineData("\"\"", "")]
    [InlineData("\"say \"\"hi\"\"\"", "say \"hi\"")]
    [InlineData("\"tab`there`nnew line\"", "tab\there\nnew line")]
    [InlineData("\"back`` tick `\" quote `$dollar\"", "back` tick \" quote $dollar")]
    [InlineData("\"it's\"", "it's")]
    [InlineData("\"price: 5 $\"", "price: 5 $")]
    public void ReadsDoubleQuotedStrings(string literal, string expected)
    {
        Assert.Equal(expected, PowerShellDataFile.Parse(literal));
    }

    [Fact]
    public void ReadsHereStrings()
    {
        Assert.Equal("first\n  'second' \"third\"", PowerShellDataFile.Parse("@'\nfirst\n  'second' \"third\"\n'@"));
        Assert.Equal("crlf", PowerShellDataFile.Parse("@\"\r\ncrlf\r\n\"@"));
        Assert.Equal("", PowerShellDataFile.Parse("@'\n'@"));
    }

    [Theory]
    [InlineData("$true", true)]
    [InlineData("$True", true)]
    [InlineData("$false", false)]
    [InlineData("$FALSE", false)]
    public void ReadsBooleans(string literal, bool expected)
    {
        Assert.Equal(expected, PowerShellDataFile.Parse(literal));
    }

    [Fact]
    public void ReadsNullAndNumbers()
    {
        Assert.Null(PowerShellDataFile.Parse("$null"));
        Assert.Equal(42, PowerShellDataFile.Parse("42"));
        Assert.Equal(-7, PowerShellDataFile.Parse("-7"));
        Assert.Equal(5_000_000_000L, PowerShellDataFile.Parse("5000000000"));
        Assert.Equal(5.1, PowerShellDataFile.Parse("5.1"));
    }

    [Fact]
    public void ReadsEmptyArray()
    {
        Assert.Equal(Array.Empty<object?>(), PowerShellDataFile.Parse("@()"));
        Assert.Equal(Array.Empty<object?>(), PowerShellDataFile.Parse("@(\n  # nothing yet\n)"));
    }

    [Fact]
    public void ReadsArrayWithCommas()
    {
        Assert.Equal(new object?[] { "a", "b", "c" }, PowerShellDataFile.Parse("@('a', 'b','c')"));
    }

    [Fact]
    public void ReadsArrayWithNewlinesAndCommasMixed()
    {
        var value = PowerShellDataFile.Parse("""
            @(
                'a',
                'b'
                'c', 'd'
                $true
            )
            """);

        Assert.Equal(new object?[] { "a", "b", "c", "d", true }, value);
    }

    [Fact]
    public void ReadsBareCommaListAsArray()
    {
        var table = PowerShellDataFile.ParseHashtable("@{ Tags = 'x', 'y',\n  'z' }");

        Assert.Equal(new object?[] { "x", "y", "z" }, table["Tags"]);
    }

    [Fact]
    public void SpreadsEachStatementOfAnArrayOneLevel()
    {
        // As in PowerShell: @(@(1, 2)) has two items, @(@(1, 2), 3) has two, the first an array.
        Assert.Equal(new object?[] { "a", "b" }, PowerShellDataFile.Parse("@(@('a', 'b'))"));
        Assert.Equal(new object?[] { "a", "b", "c" }, PowerShellDataFile.Parse("@(@('a', 'b')\n'c')"));
        Assert.Equal(new object?[] { new object?[] { "a", "b" }, "c" }, PowerShellDataFile.Parse("@(@('a', 'b'), 'c')"));
    }

    [Fact]
    public void ReadsNestedHashtables()
    {
        var table = PowerShellDataFile.ParseHashtable("""
            @{
                PrivateData = @{
                    PSData = @{
                        Tags = @('Linux', 'ZFS')
                        ReleaseNotes = 'notes'
                    }
                }
                Next = 1
            }
            """);

        var privateData = Assert.IsType<Dictionary<string, object?>>(table["PrivateData"]);
        var psData = Assert.IsType<Dictionary<string, object?>>(privateData["PSData"]);
        Assert.Equal(new object?[] { "Linux", "ZFS" }, psData["Tags"]);
        Assert.Equal("notes", psData["ReleaseNotes"]);
        Assert.Equal(1, table["Next"]);
    }

    [Fact]
    public void SkipsLineAndBlockComments()
    {
        var table = PowerShellDataFile.ParseHashtable("""
            # leading comment
            <#
              block comment with = and @{ braces } and 'quotes'
            #>
            @{
                A = 'a' # trailing comment
                <# inline #> B = <# between #> 'b'
                C = @(
                    'c1' # after an item
                    # a whole line
                    'c2'
                )
            } # after the end
            """);

        Assert.Equal("a", table["A"]);
        Assert.Equal("b", table["B"]);
        Assert.Equal(new object?[] { "c1", "c2" }, table["C"]);
    }

    [Fact]
    public void AcceptsCrLfLineEndings()
    {
        var table = PowerShellDataFile.ParseHashtable("@{\r\n  A = 'a'\r\n  B = @(\r\n    'b1'\r\n    'b2'\r\n  )\r\n}\r\n");

        Assert.Equal("a", table["A"]);
        Assert.Equal(new object?[] { "b1", "b2" }, table["B"]);
    }

    [Fact]
    public void AcceptsLineContinuationWithBacktick()
    {
        var table = PowerShellDataFile.ParseHashtable("@{ A = `\n 'a' }");

        Assert.Equal("a", table["A"]);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("@{ A = 'a' ", "missing '}'")]
    [InlineData("@( 'a' ", "missing ')'")]
    [InlineData("'open", "Unterminated single-quoted")]
    [InlineData("\"open", "Unterminated double-quoted")]
    [InlineData("@{ A = 'a'; a = 'b' }", "Duplicate key 'a'")]
    [InlineData("@{ A 'a' }", "Expected '='")]
    [InlineData("@{ A = 'a' 'b' }", "after the value of 'A'")]
    [InlineData("@( 'a' 'b' )", "in the array")]
    [InlineData("@{ A = $env }", "Variable '$env'")]
    [InlineData("\"home is $HOME\"", "expansion")]
    [InlineData("\"$(Get-Date)\"", "expansion")]
    [InlineData("@{} extra", "after the value")]
    [InlineData("Get-Date", "where a value was expected")]
    [InlineData("<# never closed", "block comment")]
    [InlineData("@'\nnever closed", "here-string")]
    public void RejectsWhatIsOutsideTheSubset(string text, string messagePart)
    {
        var error = Assert.Throws<FormatException>(() => PowerShellDataFile.Parse(text));

        Assert.Contains(messagePart, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReportsLineAndColumnOfAnError()
    {
        var error = Assert.Throws<FormatException>(() => PowerShellDataFile.Parse("@{\n  A = 'a'\n  B = nope\n}"));

        Assert.StartsWith("Line 3, column 7:", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RefusesTopLevelValueThatIsNotAHashtable()
    {
        Assert.Throws<FormatException>(() => PowerShellDataFile.ParseHashtable("@('a')"));
    }
}
