namespace MigrationTools.HelpBuilder;

/// <summary>A help page that cannot be turned into help: which file, where, and what is wrong.</summary>
internal sealed class HelpPageException : Exception
{
    /// <summary>An exception without a page; prefer the constructor that names one.</summary>
    public HelpPageException()
    {
        File = "";
        Section = "";
    }

    /// <inheritdoc cref="Exception(string)"/>
    public HelpPageException(string message)
        : base(message)
    {
        File = "";
        Section = "";
    }

    /// <inheritdoc cref="Exception(string, Exception)"/>
    public HelpPageException(string message, Exception innerException)
        : base(message, innerException)
    {
        File = "";
        Section = "";
    }

    /// <summary>A problem in <paramref name="file"/> at <paramref name="line"/>, in the section headed <paramref name="section"/>.</summary>
    public HelpPageException(string file, int line, string section, string problem)
        : base($"{file}, line {line}, {section}: {problem}")
    {
        File = file;
        Line = line;
        Section = section;
        Problem = problem;
    }

    /// <summary>The page's file name.</summary>
    public string File { get; }

    /// <summary>The one-based line of the page the problem is at.</summary>
    public int Line { get; }

    /// <summary>The heading of the section (or "front matter", or "title") the problem is in.</summary>
    public string Section { get; }

    /// <summary>What is wrong, without the location.</summary>
    public string Problem { get; } = "";
}
