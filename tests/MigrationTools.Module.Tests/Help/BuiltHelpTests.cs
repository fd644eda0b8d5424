using System.Xml.Linq;

namespace MigrationTools.Module.Tests.Help;

/// <summary>
/// The help the build writes: beside the manifest, in en-US/, where Get-Help looks for a module's help (its
/// ModuleBase, the repository root, not Module/bin), with a command for every cmdlet of the built module.
/// </summary>
public sealed class BuiltHelpTests(ModuleAssembly module) : IClassFixture<ModuleAssembly>
{
    private static readonly string HelpDirectory = Path.Combine(RepositoryLayout.Root, "en-US");

    [Fact]
    public void TheMamlFileHasACommandForEveryCmdlet()
    {
        var path = Path.Combine(HelpDirectory, "MigrationTools.dll-Help.xml");
        Assert.True(File.Exists(path), $"{path} is missing: build src/MigrationTools.");

        XNamespace command = "http://schemas.microsoft.com/maml/dev/command/2004/10";
        var documented = XDocument.Load(path).Root!.Elements(command + "command")
            .Select(c => c.Element(command + "details")!.Element(command + "name")!.Value);

        Assert.Equal(module.Cmdlets.Select(c => c.Name).Order(StringComparer.Ordinal), documented.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void EveryAboutTopicHasItsTextFile()
    {
        var topics = Directory.GetFiles(HelpPage.Directory, "about_*.md").Select(Path.GetFileNameWithoutExtension);

        Assert.All(topics, topic => Assert.True(File.Exists(Path.Combine(HelpDirectory, topic + ".help.txt")), $"{topic}.help.txt is missing."));
    }
}
