namespace MigrationTools.HelpBuilder;

/// <summary>
/// A parameter as its <c>### -Name</c> block documents it: the description, then the yaml block's fields.
/// <paramref name="ParameterSets"/> is empty for "(All)"; <paramref name="Position"/> is null for "Named";
/// <paramref name="PipelineInput"/> is written as in the page: "False", or "True (ByValue, ByPropertyName)".
/// </summary>
internal sealed record ParameterHelp(
    string Name,
    IReadOnlyList<HelpParagraph> Description,
    string Type,
    IReadOnlyList<string> ParameterSets,
    IReadOnlyList<string> Aliases,
    bool Required,
    int? Position,
    string DefaultValue,
    string PipelineInput,
    bool Globbing)
{
    public bool IsSwitch => Type == "SwitchParameter";

    /// <summary>True when the parameter belongs to the set named <paramref name="setName"/>.</summary>
    public bool IsIn(string setName) => ParameterSets.Count == 0 || ParameterSets.Contains(setName, StringComparer.Ordinal);
}
