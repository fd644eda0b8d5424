using System.Reflection;

namespace MigrationTools.Module.Tests;

/// <summary>How a parameter takes part in one parameter set, as its <c>[Parameter]</c> attribute says.</summary>
/// <param name="SetName">The set, or <see cref="CmdletParameters.AllSets"/>.</param>
/// <param name="Mandatory">Mandatory in that set.</param>
/// <param name="Position">Its position, or null when it is named only.</param>
/// <param name="ByValue">Bound from pipeline objects themselves.</param>
/// <param name="ByPropertyName">Bound from a pipeline object's property of the same name (or an alias).</param>
public sealed record ParameterSetBinding(string SetName, bool Mandatory, int? Position, bool ByValue, bool ByPropertyName);

/// <summary>A cmdlet parameter read from the built assembly with MetadataLoadContext.</summary>
/// <param name="Name">The parameter's name.</param>
/// <param name="Type">Its type (from the load context: compare by name).</param>
/// <param name="Sets">One binding per <c>[Parameter]</c> attribute.</param>
/// <param name="Aliases">Its <c>[Alias]</c> names.</param>
/// <param name="Attributes">Every attribute on the property.</param>
public sealed record CmdletParameter(
    string Name, Type Type, IReadOnlyList<ParameterSetBinding> Sets, IReadOnlyList<string> Aliases, IReadOnlyList<CustomAttributeData> Attributes)
{
    public bool HasAttribute(string fullName) => Attributes.Any(a => a.AttributeType.FullName == fullName);

    public bool TakesPipelineInput => Sets.Any(s => s.ByValue || s.ByPropertyName);
}

/// <summary>Reads the parameters of cmdlet classes found by <see cref="ModuleAssembly"/>.</summary>
public static class CmdletParameters
{
    /// <summary>The set name of a parameter that belongs to every set.</summary>
    public const string AllSets = "__AllParameterSets";

    /// <summary>The parameters PowerShell adds to every cmdlet, and to those that support ShouldProcess.</summary>
    public static readonly IReadOnlySet<string> CommonParameters = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "Verbose", "Debug", "ErrorAction", "WarningAction", "InformationAction", "ProgressAction", "ErrorVariable",
        "WarningVariable", "InformationVariable", "OutVariable", "OutBuffer", "PipelineVariable",
    };

    private const string ParameterAttributeName = "System.Management.Automation.ParameterAttribute";
    private const string AliasAttributeName = "System.Management.Automation.AliasAttribute";

    /// <summary>The cmdlet's parameters (its own and inherited), by name.</summary>
    public static IReadOnlyList<CmdletParameter> Of(Type cmdlet) =>
        cmdlet.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Select(Read)
            .OfType<CmdletParameter>()
            .OrderBy(p => p.Name, StringComparer.Ordinal)
            .ToArray();

    /// <summary>The parameter sets a cmdlet has: every named set, or only <see cref="AllSets"/> when none is named.</summary>
    public static IReadOnlyList<string> SetsOf(Type cmdlet)
    {
        var named = Of(cmdlet).SelectMany(p => p.Sets).Select(s => s.SetName).Where(s => s != AllSets).Distinct().Order(StringComparer.Ordinal).ToArray();
        return named.Length == 0 ? [AllSets] : named;
    }

    /// <summary>The parameters that belong to <paramref name="setName"/>: named for it, or for every set.</summary>
    public static IReadOnlyList<CmdletParameter> InSet(Type cmdlet, string setName) =>
        Of(cmdlet).Where(p => p.Sets.Any(s => s.SetName == setName || s.SetName == AllSets)).ToArray();

    private static CmdletParameter? Read(PropertyInfo property)
    {
        var attributes = property.GetCustomAttributesData();
        var sets = attributes
            .Where(a => a.AttributeType.FullName == ParameterAttributeName)
            .Select(a => new ParameterSetBinding(
                Named(a, "ParameterSetName") as string ?? AllSets,
                Named(a, "Mandatory") is true,
                Named(a, "Position") is int position && position != int.MinValue ? position : null,
                Named(a, "ValueFromPipeline") is true,
                Named(a, "ValueFromPipelineByPropertyName") is true))
            .ToArray();
        if (sets.Length == 0)
        {
            return null;
        }

        var aliases = attributes
            .Where(a => a.AttributeType.FullName == AliasAttributeName)
            .SelectMany(a => a.ConstructorArguments[0].Value is IEnumerable<CustomAttributeTypedArgument> names
                ? names.Select(n => (string)n.Value!)
                : [])
            .ToArray();
        return new CmdletParameter(property.Name, property.PropertyType, sets, aliases, attributes.ToArray());
    }

    private static object? Named(CustomAttributeData attribute, string name) =>
        attribute.NamedArguments.FirstOrDefault(a => a.MemberName == name).TypedValue.Value;
}
