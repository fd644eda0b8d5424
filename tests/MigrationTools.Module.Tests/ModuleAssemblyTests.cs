namespace MigrationTools.Module.Tests;

/// <summary>
/// Cmdlet discovery, proven on an assembly that has cmdlets: the PowerShellStandard reference
/// assembly, which declares PowerShell's own engine cmdlets such as Get-Command.
/// </summary>
public class ModuleAssemblyTests
{
    private static string PowerShellAssemblyPath =>
        Path.Combine(AppContext.BaseDirectory, "System.Management.Automation.dll");

    [Fact]
    public void FindsCmdletClassesByTheirAttribute()
    {
        using var powerShell = ModuleAssembly.Open(PowerShellAssemblyPath);

        var getCommand = Assert.Single(powerShell.Cmdlets, c => c.Name == "Get-Command");
        Assert.Equal("Get", getCommand.Verb);
        Assert.Equal("Command", getCommand.Noun);
        Assert.Equal("Microsoft.PowerShell.Commands.GetCommandCommand", getCommand.Type.FullName);
        Assert.Contains(powerShell.Cmdlets, c => c.Name == "Import-Module");
    }

    [Fact]
    public void ListsOnlyPublicConcreteClassesInNameOrder()
    {
        using var powerShell = ModuleAssembly.Open(PowerShellAssemblyPath);

        Assert.All(powerShell.Cmdlets, c =>
        {
            Assert.True(c.Type.IsClass && !c.Type.IsAbstract && c.Type.IsVisible, c.Type.FullName);
            Assert.Equal(ModuleAssembly.CmdletAttributeName, c.Attribute.AttributeType.FullName);
        });
        Assert.Equal(powerShell.Cmdlets.Select(c => c.Name).Order(StringComparer.Ordinal), powerShell.Cmdlets.Select(c => c.Name));
    }

    [Fact]
    public void ReadsNamedArgumentsOfTheCmdletAttribute()
    {
        using var powerShell = ModuleAssembly.Open(PowerShellAssemblyPath);

        var getCommand = Assert.Single(powerShell.Cmdlets, c => c.Name == "Get-Command");
        Assert.Equal("CmdletSet", getCommand.NamedArgument("DefaultParameterSetName"));
        Assert.Null(getCommand.NamedArgument("NoSuchArgument"));
    }

    [Fact]
    public void OpensTheBuiltModule()
    {
        using var module = new ModuleAssembly();

        Assert.Equal("MigrationTools", module.Assembly.GetName().Name);
        Assert.Equal(RepositoryLayout.ModuleAssemblyPath, module.AssemblyPath);
    }
}
