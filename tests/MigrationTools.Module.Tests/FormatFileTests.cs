using System.Globalization;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace MigrationTools.Module.Tests;

/// <summary>
/// Module/MigrationTools.format.ps1xml against the built assemblies: every view selects a public type that exists, and
/// every property a view shows (by name, or as <c>$_.Name</c> in a script block) exists on that type. PowerShell
/// would show an empty column for a misspelt property and say nothing.
/// </summary>
public sealed partial class FormatFileTests : IDisposable
{
    private static readonly string FormatFilePath = Path.Combine(RepositoryLayout.Root, "Module", "MigrationTools.format.ps1xml");

    private readonly MetadataLoadContext _context;
    private readonly Assembly[] _assemblies;
    private readonly XDocument _document = XDocument.Load(FormatFilePath);

    public FormatFileTests()
    {
        var bin = RepositoryLayout.ModuleBinDirectory;
        _context = new MetadataLoadContext(new PathAssemblyResolver(
            Directory.GetFiles(bin, "*.dll")
                .Concat(Directory.GetFiles(RuntimeEnvironment.GetRuntimeDirectory(), "*.dll"))
                .Append(Path.Combine(AppContext.BaseDirectory, "System.Management.Automation.dll"))));
        _assemblies = Directory.GetFiles(bin, "MigrationTools*.dll").Select(_context.LoadFromAssemblyPath).ToArray();
    }

    public void Dispose() => _context.Dispose();

    [Fact]
    public void HasATableAndAListViewForWorkloads()
    {
        var controls = Views().Where(v => TypeNames(v).Contains("MigrationTools.Workload"))
            .Select(v => v.Elements().Single(e => e.Name.LocalName.EndsWith("Control", StringComparison.Ordinal)).Name.LocalName)
            .Order(StringComparer.Ordinal);

        Assert.Equal(["ListControl", "TableControl"], controls);
    }

    [Theory]
    [InlineData("MigrationTools.Migration", "ListControl", "TableControl")]
    [InlineData("MigrationTools.MigrationPlan", "ListControl", "TableControl")]
    [InlineData("MigrationTools.MigrationHistoryEntry", "TableControl")]
    [InlineData("MigrationTools.MigrationDataset", "TableControl")]
    [InlineData("MigrationTools.MigrationDatasetEstimate", "TableControl")]
    [InlineData("MigrationTools.Engine.Preflight.PreflightCheck", "TableControl")]
    public void HasTheViewsOfWhatTheMigrationCmdletsWrite(string typeName, params string[] expected)
    {
        var controls = Views().Where(v => TypeNames(v).Contains(typeName))
            .Select(v => v.Elements().Single(e => e.Name.LocalName.EndsWith("Control", StringComparison.Ordinal)).Name.LocalName)
            .Order(StringComparer.Ordinal);

        Assert.Equal(expected, controls);
    }

    [Theory]
    [InlineData("MigrationTools.Migration", "Id", "Workload", "Hosts", "State", "Transferred")]
    [InlineData("MigrationTools.MigrationPlan", "Passed", "Workload", "Hosts", "Checkpoint", "Estimated")]
    [InlineData("MigrationTools.Engine.Preflight.PreflightCheck", "Passed", "Name", "Target", "Message")]
    public void TheMigrationTablesShowTheirKeyColumns(string typeName, params string[] headers)
    {
        var table = Views().Single(v => TypeNames(v).Contains(typeName) && v.Descendants().Any(e => e.Name.LocalName == "TableControl"));

        Assert.Equal(headers, table.Descendants().Where(e => e.Name.LocalName == "TableColumnHeader").Select(h => h.Elements().Single(e => e.Name.LocalName == "Label").Value));
    }

    [Theory]
    [InlineData("MigrationTools.Workload")]
    [InlineData("MigrationTools.Migration")]
    [InlineData("MigrationTools.MigrationPlan")]
    public void TheListViewsShowServiceAddressesAndTheNarrowTablesDoNot(string typeName)
    {
        var views = Views().Where(v => TypeNames(v).Contains(typeName)).ToArray();
        bool Shows(XElement view) => view.Descendants().Any(e => e.Name.LocalName is "PropertyName" or "ScriptBlock" && e.Value.Contains("ServiceAddresses", StringComparison.Ordinal));

        Assert.True(Shows(views.Single(v => v.Descendants().Any(e => e.Name.LocalName == "ListControl"))), $"The list view of {typeName} does not show ServiceAddresses.");
        Assert.False(Shows(views.Single(v => v.Descendants().Any(e => e.Name.LocalName == "TableControl"))), $"The table of {typeName} shows ServiceAddresses.");
    }

    [Fact]
    public void SizesAndDurationsAreShownForPeople()
    {
        // The table of migrations shows bytes in binary units and the downtime as a short duration, never raw numbers.
        var table = Views().Single(v => TypeNames(v).Contains("MigrationTools.Migration") && v.Descendants().Any(e => e.Name.LocalName == "TableControl"));
        var scripts = table.Descendants().Where(e => e.Name.LocalName == "ScriptBlock").Select(e => e.Value).ToArray();

        Assert.Contains(scripts, s => s.Contains("[MigrationTools.Engine.Transfer.ByteSize]::Format($_.BytesTransferred)", StringComparison.Ordinal));
        Assert.Contains(scripts, s => s.Contains("[MigrationTools.DurationText]::Format($_.Downtime)", StringComparison.Ordinal));
        Assert.All(
            _document.Descendants().Where(e => e.Name.LocalName == "ScriptBlock").SelectMany(e => StaticCalls().Matches(e.Value)),
            call => Assert.True(
                FindType(call.Groups[1].Value)?.GetMethod(call.Groups[2].Value, BindingFlags.Public | BindingFlags.Static) is not null,
                $"A view calls [{call.Groups[1].Value}]::{call.Groups[2].Value}, which the module does not have."));
    }

    [Fact]
    public void EveryViewSelectsAPublicTypeOfTheModule()
    {
        Assert.NotEmpty(Views());
        Assert.All(Views(), view =>
        {
            var names = TypeNames(view);
            Assert.NotEmpty(names);
            Assert.All(names, name => Assert.True(FindType(name) is { IsPublic: true }, $"View '{Name(view)}' selects {name}, which is no public type of the module."));
        });
    }

    [Fact]
    public void EveryPropertyAViewShowsExists()
    {
        Assert.All(Views(), view =>
        {
            var type = FindType(TypeNames(view).Single())!;
            var shown = view.Descendants().Where(e => e.Name.LocalName == "PropertyName").Select(e => e.Value.Trim())
                .Concat(view.Descendants().Where(e => e.Name.LocalName == "ScriptBlock").SelectMany(e => CurrentObjectProperties().Matches(e.Value).Select(m => m.Groups[1].Value)))
                .ToArray();

            Assert.NotEmpty(shown);
            Assert.All(shown, property => Assert.True(
                type.GetProperty(property, BindingFlags.Public | BindingFlags.Instance) is not null,
                $"View '{Name(view)}' shows {property}, which {type.FullName} does not have."));
        });
    }

    [Fact]
    public void TableViewsHaveFourToSixColumnsWithOneItemPerHeader()
    {
        var tables = _document.Descendants().Where(e => e.Name.LocalName == "TableControl").ToArray();

        Assert.NotEmpty(tables);
        Assert.All(tables, table =>
        {
            var headers = table.Descendants().Count(e => e.Name.LocalName == "TableColumnHeader");
            Assert.InRange(headers, 4, 6);
            Assert.All(
                table.Descendants().Where(e => e.Name.LocalName == "TableColumnItems"),
                items => Assert.Equal(headers, items.Elements().Count()));
        });
    }

    [Fact]
    public void TablesFitEightyColumnsAndLeaveRoomToGrow()
    {
        // PowerShell sizes every column of a table by its content, and drops those that do not fit, when the first
        // column has no width; otherwise the columns without a width share what the console has left. So the first
        // column has a width, at least one column has none, and at 80 columns each of those keeps a usable width.
        const int Console = 80;
        const int Separator = 1;
        const int SmallestFreeColumn = 12;
        var tables = _document.Descendants().Where(e => e.Name.LocalName == "TableControl").ToArray();

        Assert.NotEmpty(tables);
        Assert.All(tables, table =>
        {
            var headers = table.Descendants().Where(e => e.Name.LocalName == "TableColumnHeader")
                .Select(h => (Label: h.Elements().Single(e => e.Name.LocalName == "Label").Value, Width: Width(h)))
                .ToArray();
            var free = headers.Count(h => h.Width is null);
            var fixedWidth = headers.Sum(h => h.Width ?? 0) + Separator * (headers.Length - 1);

            Assert.NotNull(headers[0].Width);
            Assert.InRange(free, 1, 2);
            Assert.True(
                Console - fixedWidth >= free * SmallestFreeColumn,
                $"The table of {string.Join(", ", headers.Select(h => h.Label))} leaves {Console - fixedWidth} columns of 80 to {free} column(s) without a width.");
            Assert.All(headers.Where(h => h.Width is not null), h => Assert.True(
                h.Label.Length <= h.Width,
                $"The header {h.Label} is wider than its {h.Width} columns, so it would wrap."));
        });
    }

    [Fact]
    public void TableRowsWrapRatherThanCutAValue()
    {
        var rows = _document.Descendants().Where(e => e.Name.LocalName == "TableRowEntry").ToArray();

        Assert.NotEmpty(rows);
        Assert.All(rows, row => Assert.Single(row.Elements(), e => e.Name.LocalName == "Wrap"));
    }

    [Fact]
    public void NoViewShowsEnvironmentValues()
    {
        // Manifests are root-only because their environment may hold secrets; a view prints only the names.
        var environment = Views().SelectMany(v => v.Descendants())
            .Where(e => (e.Name.LocalName is "PropertyName" or "ScriptBlock") && e.Value.Contains("Environment", StringComparison.Ordinal))
            .ToArray();

        Assert.All(environment, e =>
        {
            Assert.Equal("ScriptBlock", e.Name.LocalName);
            Assert.Contains("$_.Environment.Keys", e.Value, StringComparison.Ordinal);
            Assert.DoesNotContain("$_.Environment.Values", e.Value, StringComparison.Ordinal);
        });
    }

    // [MigrationTools.Type]::Method: a static call into the module's own assemblies.
    [GeneratedRegex(@"\[(MigrationTools[A-Za-z0-9_.]*)\]::([A-Za-z_][A-Za-z0-9_]*)")]
    private static partial Regex StaticCalls();

    // $_.Name, but not $_.Name.Sub's Sub: the first member after the current object.
    [GeneratedRegex(@"\$_\.([A-Za-z_][A-Za-z0-9_]*)")]
    private static partial Regex CurrentObjectProperties();

    private IEnumerable<XElement> Views() => _document.Descendants().Where(e => e.Name.LocalName == "View");

    private static string[] TypeNames(XElement view) =>
        view.Descendants().Where(e => e.Name.LocalName == "TypeName").Select(e => e.Value.Trim()).ToArray();

    private static int? Width(XElement header) =>
        header.Elements().SingleOrDefault(e => e.Name.LocalName == "Width") is { } width ? int.Parse(width.Value, CultureInfo.InvariantCulture) : null;

    private static string Name(XElement view) => view.Elements().Single(e => e.Name.LocalName == "Name").Value;

    private Type? FindType(string fullName) =>
        _assemblies.Select(a => a.GetType(fullName, throwOnError: false)).FirstOrDefault(t => t is not null);
}
