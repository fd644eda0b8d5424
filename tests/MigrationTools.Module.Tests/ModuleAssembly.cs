using System.Reflection;
using System.Runtime.InteropServices;

namespace MigrationTools.Module.Tests;

/// <summary>
/// The built module assembly, opened for inspection only with <see cref="MetadataLoadContext"/>:
/// nothing in it runs, and no PowerShell runtime is needed.
/// </summary>
/// <remarks>
/// Assemblies resolve from the module's own directory, the running .NET's directory and the
/// PowerShellStandard reference assembly copied beside the tests. Types and attributes obtained here
/// belong to the load context: compare them by name, never with <c>typeof</c>.
/// </remarks>
public sealed class ModuleAssembly : IDisposable
{
    public const string CmdletAttributeName = "System.Management.Automation.CmdletAttribute";

    private const string PowerShellAssemblyFileName = "System.Management.Automation.dll";

    private readonly MetadataLoadContext _context;

    /// <summary>Opens the module as built into <c>Module/bin</c> (the constructor a test fixture uses).</summary>
    public ModuleAssembly()
        : this(RepositoryLayout.ModuleAssemblyPath)
    {
    }

    private ModuleAssembly(string assemblyPath)
    {
        if (!File.Exists(assemblyPath))
        {
            throw new FileNotFoundException(
                $"The module assembly is not built: {assemblyPath}. Build MigrationTools.sln first.", assemblyPath);
        }

        var moduleDirectory = Path.GetDirectoryName(Path.GetFullPath(assemblyPath))!;
        var powerShellReference = Path.Combine(AppContext.BaseDirectory, PowerShellAssemblyFileName);
        if (!File.Exists(powerShellReference))
        {
            throw new FileNotFoundException(
                $"{PowerShellAssemblyFileName} (PowerShellStandard.Library) is missing from the test output.", powerShellReference);
        }

        var candidates = Directory.GetFiles(moduleDirectory, "*.dll")
            .Concat(Directory.GetFiles(RuntimeEnvironment.GetRuntimeDirectory(), "*.dll"))
            .Append(powerShellReference);

        _context = new MetadataLoadContext(new PathAssemblyResolver(candidates));
        AssemblyPath = assemblyPath;
        Assembly = _context.LoadFromAssemblyPath(assemblyPath);
        Cmdlets = FindCmdlets(Assembly);
    }

    public string AssemblyPath { get; }

    public Assembly Assembly { get; }

    public Version Version => Assembly.GetName().Version
        ?? throw new InvalidOperationException($"{AssemblyPath} has no assembly version.");

    /// <summary>Public, non-abstract classes marked with <c>[Cmdlet(verb, noun)]</c>, by name.</summary>
    public IReadOnlyList<CmdletType> Cmdlets { get; }

    /// <summary>Opens another assembly the same way, resolving its references from its own directory.</summary>
    public static ModuleAssembly Open(string assemblyPath) => new(assemblyPath);

    public void Dispose() => _context.Dispose();

    private static List<CmdletType> FindCmdlets(Assembly assembly)
    {
        var cmdlets = new List<CmdletType>();
        foreach (var type in assembly.GetExportedTypes())
        {
            if (!type.IsClass || type.IsAbstract)
            {
                continue;
            }

            var attribute = type.GetCustomAttributesData()
                .SingleOrDefault(a => a.AttributeType.FullName == CmdletAttributeName);
            if (attribute is null)
            {
                continue;
            }

            if (attribute.ConstructorArguments is not [{ Value: string verb }, { Value: string noun }])
            {
                throw new InvalidOperationException($"{type.FullName}: [Cmdlet] does not name a verb and a noun.");
            }

            cmdlets.Add(new CmdletType(type, verb, noun, attribute));
        }

        cmdlets.Sort((x, y) => StringComparer.Ordinal.Compare(x.Name, y.Name));
        return cmdlets;
    }
}

/// <summary>A cmdlet class found in the module, with what its <c>[Cmdlet]</c> attribute says.</summary>
public sealed record CmdletType(Type Type, string Verb, string Noun, CustomAttributeData Attribute)
{
    /// <summary>The command name, <c>Verb-Noun</c>.</summary>
    public string Name => $"{Verb}-{Noun}";

    /// <summary>A named argument of the <c>[Cmdlet]</c> attribute, such as <c>SupportsShouldProcess</c>.</summary>
    public object? NamedArgument(string name) =>
        Attribute.NamedArguments.FirstOrDefault(a => a.MemberName == name).TypedValue.Value;

    /// <summary>The full names of the types its <c>[OutputType]</c> attributes name.</summary>
    public IReadOnlyList<string> OutputTypeNames() =>
        Type.GetCustomAttributesData()
            .Where(a => a.AttributeType.FullName == "System.Management.Automation.OutputTypeAttribute")
            .SelectMany(a => a.ConstructorArguments)
            .SelectMany(argument => argument.Value is IEnumerable<CustomAttributeTypedArgument> many ? many : [argument])
            .Select(argument => argument.Value is Type type ? type.FullName! : (string)argument.Value!)
            .ToArray();
}
