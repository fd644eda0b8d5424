namespace MigrationTools.HelpBuilder;

/// <summary>
/// The syntax of one parameter set: its name (<see cref="AllSets"/> when the cmdlet has one syntax for every set) and
/// its parameters, in the order the page's SYNTAX block writes them.
/// </summary>
internal sealed record SyntaxHelp(string SetName, bool IsDefault, IReadOnlyList<ParameterHelp> Parameters)
{
    /// <summary>PowerShell's name for "every parameter set".</summary>
    public const string AllSets = "__AllParameterSets";
}
