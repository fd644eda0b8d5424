using System.Reflection;
using System.Runtime.InteropServices;

namespace MigrationTools.Module.Tests;

/// <summary>
/// The module ships no third-party or out-of-band assembly, so it cannot conflict with PowerShell's own copies: every
/// assembly the module's assemblies reference is either shipped in Module/bin (only the module's own), PowerShell
/// itself, or part of .NET, at a version .NET 8 (PowerShell 7.4) already carries.
/// </summary>
public sealed class ModuleDependencyTests
{
    /// <summary>The .NET version PowerShell 7.4, the oldest the manifest admits, runs on.</summary>
    private static readonly Version OldestRuntime = new(8, 0, 0, 0);

    private static readonly string[] ModuleAssemblies = ["MigrationTools.dll", "MigrationTools.Engine.dll"];

    public static TheoryData<string> ShippedAssemblies() => new(ModuleAssemblies);

    [Theory]
    [MemberData(nameof(ShippedAssemblies))]
    public void EveryReferenceIsShippedPowerShellOrPartOfDotnet8(string fileName)
    {
        var bin = RepositoryLayout.ModuleBinDirectory;
        var runtime = RuntimeEnvironment.GetRuntimeDirectory();
        using var context = new MetadataLoadContext(new PathAssemblyResolver(
            Directory.GetFiles(bin, "*.dll").Concat(Directory.GetFiles(runtime, "*.dll"))));

        var references = context.LoadFromAssemblyPath(Path.Combine(bin, fileName)).GetReferencedAssemblies();

        Assert.NotEmpty(references);
        Assert.All(references, reference =>
        {
            var name = reference.Name!;
            if (name == "System.Management.Automation" || ModuleAssemblies.Contains(name + ".dll"))
            {
                return;
            }

            // netstandard2.0 libraries bind to .NET's own assemblies through its netstandard facade.
            var inRuntime = Path.Combine(runtime, name + ".dll");
            Assert.True(File.Exists(inRuntime), $"{fileName} references {reference}, which is neither shipped in Module/bin nor part of .NET.");
            Assert.True(
                reference.Version! <= OldestRuntime,
                $"{fileName} references {reference}; PowerShell 7.4 runs on .NET 8 and has at most {OldestRuntime} of it.");
        });
    }

    [Fact]
    public void TheEngineTakesSystemTextJsonFromTheRuntime()
    {
        var bin = RepositoryLayout.ModuleBinDirectory;
        using var context = new MetadataLoadContext(new PathAssemblyResolver(Directory.GetFiles(RuntimeEnvironment.GetRuntimeDirectory(), "*.dll")));

        var engine = context.LoadFromAssemblyPath(Path.Combine(bin, "MigrationTools.Engine.dll"));

        var json = Assert.Single(engine.GetReferencedAssemblies(), r => r.Name == "System.Text.Json");
        Assert.Equal(8, json.Version!.Major);
        Assert.False(File.Exists(Path.Combine(bin, "System.Text.Json.dll")), "System.Text.Json is shipped in Module/bin; PowerShell 7.4+ carries it.");
    }
}
