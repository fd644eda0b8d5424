using System.Text.RegularExpressions;

namespace MigrationTools.HelpBuilder;

/// <summary>
/// One parameter as a SYNTAX line writes it: <c>-Name &lt;T&gt;</c> (mandatory), <c>[-Name &lt;T&gt;]</c> (optional),
/// <c>[-Name] &lt;T&gt;</c> and <c>[[-Name] &lt;T&gt;]</c> (the same, positional), <c>-Switch</c> or <c>[-Switch]</c>.
/// <paramref name="Type"/> is null for a switch.
/// </summary>
internal sealed partial record SyntaxEntry(string Name, string? Type, bool Mandatory, bool Positional)
{
    /// <summary>
    /// The parameters of a syntax line that starts with <paramref name="command"/> and ends with
    /// <c>[&lt;CommonParameters&gt;]</c>; null for a line that is not written that way, with the reason.
    /// </summary>
    public static IReadOnlyList<SyntaxEntry>? Parse(string line, string command, out string problem)
    {
        problem = "";
        if (!line.StartsWith(command + " ", StringComparison.Ordinal) && line != command)
        {
            problem = $"the syntax line does not start with '{command}'.";
            return null;
        }

        var entries = new List<SyntaxEntry>();
        var rest = line[command.Length..].Trim();
        while (rest.Length > 0)
        {
            if (rest.StartsWith("[<CommonParameters>]", StringComparison.Ordinal))
            {
                rest = rest["[<CommonParameters>]".Length..].TrimStart();
                if (rest.Length > 0)
                {
                    problem = "[<CommonParameters>] is not at the end of the syntax line.";
                    return null;
                }

                return entries;
            }

            var match = Token().Match(rest);
            if (!match.Success)
            {
                problem = $"cannot read the syntax line at '{rest}'.";
                return null;
            }

            entries.Add(FromMatch(match));
            rest = rest[match.Length..].TrimStart();
        }

        problem = "the syntax line does not end with [<CommonParameters>].";
        return null;
    }

    private static SyntaxEntry FromMatch(Match match)
    {
        string Group(string name) => match.Groups[name].Value;

        if (match.Groups["optPos"].Success)
        {
            return new SyntaxEntry(Group("optPos"), Group("optPosType"), Mandatory: false, Positional: true);
        }

        if (match.Groups["pos"].Success)
        {
            return new SyntaxEntry(Group("pos"), Group("posType"), Mandatory: true, Positional: true);
        }

        if (match.Groups["opt"].Success)
        {
            return new SyntaxEntry(Group("opt"), Group("optType"), Mandatory: false, Positional: false);
        }

        if (match.Groups["req"].Success)
        {
            return new SyntaxEntry(Group("req"), Group("reqType"), Mandatory: true, Positional: false);
        }

        return match.Groups["optSwitch"].Success
            ? new SyntaxEntry(Group("optSwitch"), null, Mandatory: false, Positional: false)
            : new SyntaxEntry(Group("reqSwitch"), null, Mandatory: true, Positional: false);
    }

    [GeneratedRegex(
        @"\G(?:\[\[-(?<optPos>\w+)\] <(?<optPosType>[^>]+)>\]" +
        @"|\[-(?<pos>\w+)\] <(?<posType>[^>]+)>" +
        @"|\[-(?<opt>\w+) <(?<optType>[^>]+)>\]" +
        @"|-(?<req>\w+) <(?<reqType>[^>]+)>" +
        @"|\[-(?<optSwitch>\w+)\]" +
        @"|-(?<reqSwitch>\w+))(?=\s|$)")]
    private static partial Regex Token();
}
