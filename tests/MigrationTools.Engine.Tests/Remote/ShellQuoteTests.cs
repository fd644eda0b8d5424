using System.Text;
using MigrationTools.Engine.Remote;

namespace MigrationTools.Engine.Tests.Remote;

public class ShellQuoteTests
{
    /// <summary>Words a shell would split, expand, substitute, redirect or treat as options if left unquoted.</summary>
    private static readonly string[] Hostile =
    [
        "",
        "plain",
        "two words",
        "  leading and trailing spaces  ",
        "it's",
        "'",
        "''",
        "'\\''",
        "\"double quoted\"",
        "\"",
        "mixed 'single' and \"double\"",
        "$(id)",
        "$(touch pwned)",
        "`id`",
        "$HOME",
        "${HOME}",
        "$((1+1))",
        "$",
        "a;b",
        "; rm -rf /",
        "a && b || c",
        "a | b",
        "a & b",
        "> out",
        "< in",
        "(subshell)",
        "{a,b}",
        "a=b",
        "line one\nline two",
        "\n",
        "trailing newlines\n\n",
        "\r\n",
        "tab\there",
        "-n",
        "-e",
        "--help",
        "-",
        "*",
        "?",
        "[a-z]",
        "~",
        "~root",
        "# not a comment",
        "!!",
        "\\",
        "back\\slash\\n",
        "%s %d %%",
        "\u0001\u001b[31mcontrol\u007f",
        "h\u00e9llo w\u00f6rld \u2713 \u65e5\u672c",
    ];

    public static TheoryData<string> HostileWords => new(Hostile);

    [Fact]
    public void QuotesSimpleWordInSingleQuotes()
    {
        Assert.Equal("'abc'", ShellQuote.Quote("abc"));
        Assert.Equal("'two words'", ShellQuote.Quote("two words"));
    }

    [Fact]
    public void QuotesEmptyStringAsEmptyPair()
    {
        Assert.Equal("''", ShellQuote.Quote(""));
    }

    [Fact]
    public void WritesEmbeddedSingleQuoteAsCloseEscapeReopen()
    {
        Assert.Equal(@"'it'\''s'", ShellQuote.Quote("it's"));
        Assert.Equal(@"''\'''", ShellQuote.Quote("'"));
    }

    [Fact]
    public void LeavesEverythingElseLiteralInsideTheQuotes()
    {
        Assert.Equal("'$(id) `id` \"x\" \\ ;'", ShellQuote.Quote("$(id) `id` \"x\" \\ ;"));
    }

    [Fact]
    public void RejectsNul()
    {
        var error = Assert.Throws<ArgumentException>(() => ShellQuote.Quote("a\0b"));
        Assert.Equal("value", error.ParamName);
    }

    [Fact]
    public void RejectsNull()
    {
        Assert.Throws<ArgumentNullException>(() => ShellQuote.Quote(null!));
        Assert.Throws<ArgumentNullException>(() => ShellQuote.Join(null!));
    }

    [Fact]
    public void JoinQuotesEachWordAndSeparatesWithOneSpace()
    {
        Assert.Equal("'zfs' 'list' '-H' '-o' 'name'", ShellQuote.Join(["zfs", "list", "-H", "-o", "name"]));
        Assert.Equal(@"'echo' '' 'it'\''s'", ShellQuote.Join(["echo", "", "it's"]));
    }

    [Fact]
    public void JoinOfNoWordsIsEmpty()
    {
        Assert.Equal("", ShellQuote.Join([]));
    }

    [Fact]
    public void JoinRejectsNulInAnyWord()
    {
        Assert.Throws<ArgumentException>(() => ShellQuote.Join(["echo", "ok", "bad\0word"]));
    }

    [ShellTheory]
    [MemberData(nameof(HostileWords))]
    public void ShellReadsQuotedWordBackByteForByte(string word)
    {
        var output = Sh.Run("printf '%s' " + ShellQuote.Quote(word));

        Assert.Equal(Encoding.UTF8.GetBytes(word), output);
    }

    [ShellFact]
    public void ShellSplitsJoinedLineIntoExactlyTheWordsGiven()
    {
        var words = Hostile;

        // printf reuses its format for every argument, so each word comes back NUL-terminated.
        var output = Sh.Run(ShellQuote.Join(["printf", "%s\\000", .. words]));

        var expected = string.Concat(words.Select(w => w + "\0"));
        Assert.Equal(Encoding.UTF8.GetBytes(expected), output);
    }

    [ShellFact]
    public void CommandSubstitutionInsideAQuotedWordDoesNotRun()
    {
        var directory = Directory.CreateTempSubdirectory("shellquote-");
        try
        {
            var canary = Path.Combine(directory.FullName, "ran");
            var word = $"$(touch {canary})`touch {canary}`; touch {canary}";

            var output = Sh.Run("printf '%s' " + ShellQuote.Quote(word));

            Assert.Equal(Encoding.UTF8.GetBytes(word), output);
            Assert.False(File.Exists(canary));
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}
