namespace MigrationTools.Engine.Tests.Architecture;

/// <summary>
/// The engine's folders are its layers: a folder may use the folders below it and never one above, so the
/// folder graph has no cycle, and every namespace spells its folder.
/// </summary>
public sealed class FolderLayerTests
{
    private const string EngineNamespace = "MigrationTools.Engine";

    // IsExternalInit must sit in System.Runtime.CompilerServices for the compiler to find it.
    private static readonly string[] ForeignNamespaceFolders = ["Polyfills"];

    private static readonly Lazy<SourceFolderScan> Engine = new(() =>
        SourceFolderScan.OfDirectory(Path.Combine(RepositoryRoot(), "src", EngineNamespace), EngineNamespace, ForeignNamespaceFolders));

    [Fact]
    public void EngineSourcesCompileForTheScan()
    {
        Assert.Empty(Engine.Value.CompileErrors);
    }

    [Fact]
    public void EngineFoldersHaveNoCycle()
    {
        var graph = Engine.Value.Graph;
        Assert.Contains("Remote", graph.Folders);
        Assert.True(graph.FindCycle() is null, graph.FindCycle() is { } cycle ? graph.DescribeCycle(cycle) : "");
    }

    [Fact]
    public void EngineNamespacesFollowFolders()
    {
        Assert.Empty(Engine.Value.NamespaceMismatches);
    }

    [Fact]
    public void EngineScanSeesAnEdgeThatExists()
    {
        // Guards the scan itself: a scan that bound nothing would find no cycle either.
        Assert.Contains("Remote", Engine.Value.Graph.DependenciesOf("Transfer"));
    }

    [Fact]
    public void FindsACycleAndNamesItsEdges()
    {
        var graph = new FolderGraph();
        graph.AddEdge("Top", "Middle", "Top/A.cs uses M");
        graph.AddEdge("Middle", "Bottom", "Middle/M.cs uses B");
        graph.AddEdge("Bottom", "Middle", "Bottom/B.cs uses M");

        var cycle = graph.FindCycle();

        Assert.Equal(["Bottom", "Middle", "Bottom"], cycle);
        var description = graph.DescribeCycle(cycle!);
        Assert.Contains("Bottom -> Middle -> Bottom", description, StringComparison.Ordinal);
        Assert.Contains("Middle/M.cs uses B", description, StringComparison.Ordinal);
        Assert.Contains("Bottom/B.cs uses M", description, StringComparison.Ordinal);
    }

    [Fact]
    public void AcyclicGraphHasLayersLowestFirst()
    {
        var graph = new FolderGraph();
        graph.AddEdge("Top", "Middle", "Top/A.cs uses M");
        graph.AddEdge("Top", "Bottom", "Top/A.cs uses B");
        graph.AddEdge("Middle", "Bottom", "Middle/M.cs uses B");

        Assert.Null(graph.FindCycle());
        Assert.Equal([["Bottom"], ["Middle"], ["Top"]], graph.Layers());
    }

    [Fact]
    public void ScanFindsACycleMadeInsideAMethodBody()
    {
        var scan = SourceFolderScan.OfSources(
            [
                ("Lower/Store.cs", """
                    namespace Root.Lower;
                    public static class Store
                    {
                        public const int Size = 4;
                        // Names Root.Upper.Runner only inside the body.
                        public static int Twice() { return Root.Upper.Runner.Run() * 2; }
                    }
                    """),
                ("Upper/Runner.cs", """
                    namespace Root.Upper;
                    public static class Runner
                    {
                        public static int Run() => Lower.Store.Size;
                    }
                    """),
            ],
            "Root",
            []);

        Assert.Empty(scan.CompileErrors);
        var cycle = scan.Graph.FindCycle();
        Assert.NotNull(cycle);
        Assert.Contains("Lower/Store.cs uses Runner", scan.Graph.DescribeCycle(cycle), StringComparison.Ordinal);
    }

    [Fact]
    public void ScanIgnoresCommentsStringsAndLookalikeMembers()
    {
        var scan = SourceFolderScan.OfSources(
            [
                ("Lower/Store.cs", """
                    namespace Root.Lower;
                    /// <summary>Not <c>Runner</c>; see nothing above.</summary>
                    public sealed class Store
                    {
                        // Runner is mentioned here only.
                        public string Runner { get; } = "Runner";
                        public string Name() => Runner + nameof(Runner);
                    }
                    """),
                ("Upper/Runner.cs", """
                    namespace Root.Upper;
                    public static class Runner
                    {
                        public static Lower.Store Make() => new();
                    }
                    """),
            ],
            "Root",
            []);

        Assert.Empty(scan.CompileErrors);
        Assert.Null(scan.Graph.FindCycle());
        Assert.Equal(["Lower"], scan.Graph.DependenciesOf("Upper"));
        Assert.Empty(scan.Graph.DependenciesOf("Lower"));
    }

    [Fact]
    public void ScanReportsANamespaceThatDoesNotFollowItsFolder()
    {
        var scan = SourceFolderScan.OfSources(
            [
                ("Lower/Store.cs", "namespace Root.Upper; public static class Store { }"),
                ("Polyfills/Marker.cs", "namespace System.Runtime.CompilerServices; internal static class Marker { }"),
                ("Upper/Deep/Runner.cs", "namespace Root.Upper.Deep; public static class Runner { }"),
            ],
            "Root",
            ["Polyfills"]);

        Assert.Equal(["Lower/Store.cs: namespace Root.Upper, expected Root.Lower"], scan.NamespaceMismatches);
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "MigrationTools.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("No MigrationTools.sln above " + AppContext.BaseDirectory);
    }
}
