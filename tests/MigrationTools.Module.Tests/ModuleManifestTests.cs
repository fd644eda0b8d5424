using System.Xml;
using System.Xml.Linq;

namespace MigrationTools.Module.Tests;

/// <summary>
/// The contract between MigrationTools.psd1 and what the build produces, checked without PowerShell.
/// </summary>
public sealed class ModuleManifestTests(ModuleAssembly module) : IClassFixture<ModuleAssembly>
{
    /// <summary>The keys a module manifest may have (Windows PowerShell 5.1 and PowerShell 7).</summary>
    private static readonly HashSet<string> ManifestKeys = new(StringComparer.OrdinalIgnoreCase)
    {
        "RootModule", "ModuleVersion", "GUID", "Author", "CompanyName", "Copyright", "Description",
        "PowerShellVersion", "PowerShellHostName", "PowerShellHostVersion", "DotNetFrameworkVersion",
        "CLRVersion", "ProcessorArchitecture", "RequiredModules", "RequiredAssemblies", "ScriptsToProcess",
        "TypesToProcess", "FormatsToProcess", "NestedModules", "FunctionsToExport", "CmdletsToExport",
        "VariablesToExport", "AliasesToExport", "DscResourcesToExport", "ModuleList", "FileList",
        "PrivateData", "HelpInfoURI", "DefaultCommandPrefix", "CompatiblePSEditions",
    };

    private static readonly string[] ExportKeys =
        ["CmdletsToExport", "FunctionsToExport", "AliasesToExport", "VariablesToExport"];

    /// <summary>Keys whose values name files relative to the manifest.</summary>
    private static readonly string[] FileKeys =
        ["RootModule", "FormatsToProcess", "TypesToProcess", "RequiredAssemblies", "NestedModules", "ScriptsToProcess", "FileList"];

    private readonly Dictionary<string, object?> _manifest = PowerShellDataFile.ReadHashtable(RepositoryLayout.ManifestPath);

    [Fact]
    public void UsesOnlyKnownManifestKeys()
    {
        Assert.All(_manifest.Keys, key => Assert.Contains(key, ManifestKeys));
    }

    [Fact]
    public void LoadsTheBuiltBinaryModule()
    {
        Assert.Equal("Module/bin/MigrationTools.dll", GetString("RootModule"));
    }

    [Fact]
    public void HasIdentityAndDescription()
    {
        Assert.True(Guid.TryParse(GetString("GUID"), out var guid), "GUID is not a GUID.");
        Assert.NotEqual(Guid.Empty, guid);
        Assert.False(string.IsNullOrWhiteSpace(GetString("Author")));
        Assert.False(string.IsNullOrWhiteSpace(GetString("CompanyName")));
        Assert.False(string.IsNullOrWhiteSpace(GetString("Copyright")));
        Assert.False(string.IsNullOrWhiteSpace(GetString("Description")));
    }

    [Fact]
    public void RequiresPowerShell74OrLater()
    {
        // The engine needs .NET's ProcessStartInfo.ArgumentList (not in .NET Framework) and takes System.Text.Json 8
        // from the runtime, which PowerShell 7.4 (.NET 8) is the first to carry.
        Assert.Equal("7.4", GetString("PowerShellVersion"));
        Assert.Equal(["Core"], GetStrings("CompatiblePSEditions"));
    }

    [Fact]
    public void ExportsExplicitListsWithoutWildcards()
    {
        foreach (var key in ExportKeys)
        {
            // A lone string such as '*' would also be accepted by PowerShell; only arrays are explicit.
            Assert.True(_manifest.TryGetValue(key, out var value), $"{key} is missing: PowerShell would export everything.");
            var names = Assert.IsType<object?[]>(value);
            Assert.All(names, name =>
            {
                var text = Assert.IsType<string>(name);
                Assert.DoesNotContain('*', text);
                Assert.DoesNotContain('?', text);
                Assert.DoesNotContain('[', text);
            });
            Assert.Equal(names.Length, names.Cast<string>().Distinct(StringComparer.OrdinalIgnoreCase).Count());
        }

        Assert.Empty(GetStrings("FunctionsToExport"));
        Assert.Empty(GetStrings("AliasesToExport"));
        Assert.Empty(GetStrings("VariablesToExport"));
    }

    [Fact]
    public void ExportsExactlyTheCmdletsInTheAssembly()
    {
        var declared = GetStrings("CmdletsToExport").Order(StringComparer.Ordinal);
        var built = module.Cmdlets.Select(c => c.Name).Order(StringComparer.Ordinal);

        Assert.Equal(built, declared);
    }

    [Fact]
    public void HasGalleryMetadataWithoutPlaceholders()
    {
        var privateData = Assert.IsType<Dictionary<string, object?>>(_manifest["PrivateData"]);
        var psData = Assert.IsType<Dictionary<string, object?>>(privateData["PSData"]);

        var tags = Assert.IsType<object?[]>(psData["Tags"]).Cast<string>().ToArray();
        Assert.Superset(new HashSet<string>(["Linux", "ZFS", "CRIU", "Migration", "SSH"]), new HashSet<string>(tags));
        Assert.All(tags, tag => Assert.DoesNotContain(' ', tag));
        Assert.False(string.IsNullOrWhiteSpace(Assert.IsType<string>(psData["ReleaseNotes"])));

        foreach (var (key, value) in psData.Where(entry => entry.Key.EndsWith("Uri", StringComparison.OrdinalIgnoreCase)))
        {
            var uri = Assert.IsType<string>(value);
            Assert.True(Uri.TryCreate(uri, UriKind.Absolute, out _), $"{key} is not an absolute URI: {uri}");
            Assert.DoesNotContain("example", uri, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("contoso", uri, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public void NamesOnlyFilesThatExistAfterABuild()
    {
        var named = FileKeys
            .Where(_manifest.ContainsKey)
            .SelectMany(key => ValuesOf(key).Select(path => (key, path)))
            .ToList();

        Assert.Contains(named, entry => entry.key == "RootModule");
        Assert.All(named, entry =>
        {
            Assert.DoesNotContain('\\', entry.path);
            var fullPath = Path.Combine(RepositoryLayout.Root, entry.path);
            Assert.True(File.Exists(fullPath), $"{entry.key} names {entry.path}, which does not exist at {fullPath}.");
        });
    }

    [Fact]
    public void ModuleVersionIsTheBuildVersion()
    {
        var moduleVersion = GetString("ModuleVersion");
        var versionPrefix = XDocument.Load(RepositoryLayout.BuildPropsPath)
            .Descendants("VersionPrefix")
            .Select(e => e.Value.Trim())
            .Single();

        Assert.Equal(versionPrefix, moduleVersion);
        Assert.True(Version.TryParse(moduleVersion, out var parsed), $"ModuleVersion '{moduleVersion}' is not a version.");
        Assert.Equal(Normalize(parsed), Normalize(module.Version));
    }

    [Fact]
    public void CompanyAndCopyrightMatchTheAssembly()
    {
        Assert.Equal(AssemblyAttribute("System.Reflection.AssemblyCompanyAttribute"), GetString("CompanyName"));
        Assert.Equal(AssemblyAttribute("System.Reflection.AssemblyCopyrightAttribute"), GetString("Copyright"));
    }

    [Fact]
    public void FormatAndTypeFilesAreWellFormed()
    {
        var files = ValuesOf("FormatsToProcess").Select(path => (path, root: "Configuration"))
            .Concat(ValuesOf("TypesToProcess").Select(path => (path, root: "Types")))
            .ToList();

        Assert.NotEmpty(files);
        Assert.All(files, file =>
        {
            var document = LoadXml(Path.Combine(RepositoryLayout.Root, file.path));
            Assert.Equal(file.root, document.Root?.Name.LocalName);
        });
    }

    [Fact]
    public void ModuleDirectoryHoldsOnlyTheModulesOwnAssemblies()
    {
        var files = Directory.GetFiles(RepositoryLayout.ModuleBinDirectory).Select(Path.GetFileName).Order(StringComparer.Ordinal);

        Assert.Equal(
            [
                "MigrationTools.Engine.dll", "MigrationTools.Engine.pdb", "MigrationTools.Engine.xml",
                "MigrationTools.dll", "MigrationTools.pdb", "MigrationTools.xml",
            ],
            files);
    }

    private static XDocument LoadXml(string path)
    {
        try
        {
            return XDocument.Load(path);
        }
        catch (XmlException error)
        {
            Assert.Fail($"{path} is not well-formed XML: {error.Message}");
            throw;
        }
    }

    private string? AssemblyAttribute(string attributeName) =>
        module.Assembly.GetCustomAttributesData()
            .Single(a => a.AttributeType.FullName == attributeName)
            .ConstructorArguments[0].Value as string;

    /// <summary>1.2.3 and 1.2.3.0 name the same version.</summary>
    private static Version Normalize(Version version) =>
        new(version.Major, version.Minor, Math.Max(version.Build, 0), Math.Max(version.Revision, 0));

    private string GetString(string key)
    {
        Assert.True(_manifest.TryGetValue(key, out var value), $"The manifest has no {key}.");
        return Assert.IsType<string>(value);
    }

    private string[] GetStrings(string key)
    {
        Assert.True(_manifest.TryGetValue(key, out var value), $"The manifest has no {key}.");
        return Assert.IsType<object?[]>(value).Select(item => Assert.IsType<string>(item)).ToArray();
    }

    /// <summary>A key's value as a list of strings, whether PowerShell would see one string or an array.</summary>
    private string[] ValuesOf(string key) => _manifest.GetValueOrDefault(key) switch
    {
        null => [],
        string single => [single],
        object?[] many => many.Select(item => Assert.IsType<string>(item)).ToArray(),
        var other => throw new InvalidOperationException($"{key} has an unexpected value: {other}"),
    };
}
