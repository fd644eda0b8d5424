using MigrationTools.Module.Host.Tests.Hosting;

namespace MigrationTools.Module.Host.Tests;

/// <summary>The session the other tests rely on: the module as built into Module/bin, imported through its manifest.</summary>
public sealed class ModuleSessionTests
{
    [Fact]
    public void TheModuleAndItsEngineAreLoadedFromModuleBin()
    {
        using var session = new ModuleSession();
        var moduleBin = Path.Combine(ModuleLocation.RepositoryRoot, "Module", "bin");

        Assert.Equal(ModuleLocation.RepositoryRoot.TrimEnd('/'), session.Module.ModuleBase.TrimEnd('/'));
        Assert.Equal(Path.Combine(moduleBin, "MigrationTools.dll"), session.Module.ImplementingAssembly.Location);
        var engine = AppDomain.CurrentDomain.GetAssemblies().Single(a => a.GetName().Name == "MigrationTools.Engine");
        Assert.Equal(Path.Combine(moduleBin, "MigrationTools.Engine.dll"), engine.Location);
    }
}
