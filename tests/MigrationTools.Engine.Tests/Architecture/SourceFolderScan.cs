using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace MigrationTools.Engine.Tests.Architecture;

/// <summary>
/// Compiles a project's sources with Roslyn and records, for every name the code binds (in signatures,
/// method bodies, <c>nameof</c> and doc-comment crefs alike), which folder declares the type it lands on.
/// Binding rather than matching text means comments, string literals and members that merely share a type's
/// name never count, and a constant or extension method counts although the compiled assembly would not show it.
/// </summary>
public sealed class SourceFolderScan
{
    private SourceFolderScan(FolderGraph graph, IReadOnlyList<string> namespaceMismatches, IReadOnlyList<string> compileErrors)
    {
        Graph = graph;
        NamespaceMismatches = namespaceMismatches;
        CompileErrors = compileErrors;
    }

    public FolderGraph Graph { get; }

    /// <summary>Files whose namespace is not the root namespace followed by their folder path.</summary>
    public IReadOnlyList<string> NamespaceMismatches { get; }

    /// <summary>Errors from the scan's own compilation; names cannot be bound reliably while there are any.</summary>
    public IReadOnlyList<string> CompileErrors { get; }

    /// <summary>Reads every .cs file under <paramref name="projectDirectory"/> except bin/ and obj/.</summary>
    public static SourceFolderScan OfDirectory(string projectDirectory, string rootNamespace, IReadOnlyCollection<string> foreignNamespaceFolders)
    {
        var files = Directory.EnumerateFiles(projectDirectory, "*.cs", SearchOption.AllDirectories)
            .Select(path => Path.GetRelativePath(projectDirectory, path).Replace('\\', '/'))
            .Where(path => !path.StartsWith("bin/", StringComparison.Ordinal) && !path.StartsWith("obj/", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(path => (path, File.ReadAllText(Path.Combine(projectDirectory, path))));
        return OfSources(files, rootNamespace, foreignNamespaceFolders);
    }

    /// <param name="sources">Paths relative to the project directory with '/' separators, and their text.</param>
    /// <param name="rootNamespace">The namespace of the project directory; a folder adds its path to it.</param>
    /// <param name="foreignNamespaceFolders">Folders whose files must use another namespace (polyfills of BCL types).</param>
    public static SourceFolderScan OfSources(IEnumerable<(string Path, string Text)> sources, string rootNamespace, IReadOnlyCollection<string> foreignNamespaceFolders)
    {
        var parseOptions = new CSharpParseOptions(LanguageVersion.Latest, DocumentationMode.Parse);
        var trees = sources.Select(source => CSharpSyntaxTree.ParseText(source.Text, parseOptions, source.Path)).ToList();
        var compilation = CSharpCompilation.Create(
            "FolderScan",
            trees,
            PlatformReferences(),
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        var compileErrors = compilation.GetDiagnostics()
            .Where(diagnostic => diagnostic.Severity == DiagnosticSeverity.Error)
            .Select(diagnostic => diagnostic.ToString())
            .ToList();

        var graph = new FolderGraph();
        var mismatches = new List<string>();
        foreach (var tree in trees)
        {
            var folder = FolderOf(tree.FilePath);
            graph.AddFolder(folder);
            CheckNamespace(tree, folder, rootNamespace, foreignNamespaceFolders, mismatches);
            var model = compilation.GetSemanticModel(tree);
            foreach (var name in tree.GetRoot().DescendantNodes(descendIntoTrivia: true).OfType<SimpleNameSyntax>())
            {
                if (DeclaringTree(model, name) is not { } target)
                {
                    continue;
                }

                var targetFolder = FolderOf(target.Tree.FilePath);
                if (targetFolder != folder)
                {
                    graph.AddEdge(folder, targetFolder, $"{tree.FilePath} uses {target.Type.Name}");
                }
            }
        }

        return new SourceFolderScan(graph, mismatches, compileErrors);
    }

    /// <summary>The folder of a project-relative path; "" for the project directory itself.</summary>
    public static string FolderOf(string relativePath)
    {
        var slash = relativePath.LastIndexOf('/');
        return slash < 0 ? "" : relativePath[..slash];
    }

    private static void CheckNamespace(SyntaxTree tree, string folder, string rootNamespace, IReadOnlyCollection<string> foreignNamespaceFolders, List<string> mismatches)
    {
        if (foreignNamespaceFolders.Contains(folder))
        {
            return;
        }

        var expected = folder.Length == 0 ? rootNamespace : rootNamespace + "." + folder.Replace('/', '.');
        var declared = tree.GetRoot().DescendantNodes().OfType<BaseNamespaceDeclarationSyntax>().Select(ns => ns.Name.ToString()).ToList();
        if (declared.Count == 0)
        {
            mismatches.Add($"{tree.FilePath}: no namespace, expected {expected}");
        }

        mismatches.AddRange(declared.Where(ns => ns != expected).Select(ns => $"{tree.FilePath}: namespace {ns}, expected {expected}"));
    }

    /// <summary>The scanned type a name refers to, directly or as the owner of the member it names.</summary>
    private static (INamedTypeSymbol Type, SyntaxTree Tree)? DeclaringTree(SemanticModel model, SimpleNameSyntax name)
    {
        var info = model.GetSymbolInfo(name);
        var symbol = info.Symbol ?? info.CandidateSymbols.FirstOrDefault();
        var type = symbol switch
        {
            INamedTypeSymbol named => named,
            IMethodSymbol method => (method.ReducedFrom ?? method).ContainingType,
            IPropertySymbol or IFieldSymbol or IEventSymbol => symbol.ContainingType,
            _ => null,
        };
        type = type?.OriginalDefinition;
        var location = type?.Locations.FirstOrDefault(candidate => candidate.IsInSource);
        return type is not null && location?.SourceTree is { } tree ? (type, tree) : null;
    }

    /// <summary>The runtime's own assemblies only, so the engine binds to its sources, not to its built copy.</summary>
    private static List<MetadataReference> PlatformReferences()
    {
        var runtimeDirectory = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        return [.. ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!)
            .Split(Path.PathSeparator)
            .Where(path => Path.GetDirectoryName(path) == runtimeDirectory)
            .Select(path => (MetadataReference)MetadataReference.CreateFromFile(path))];
    }
}
