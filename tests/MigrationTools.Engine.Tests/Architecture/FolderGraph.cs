namespace MigrationTools.Engine.Tests.Architecture;

/// <summary>
/// Which source folders use which other folders' types, with the file and type behind each edge so a
/// failure can say exactly what to move.
/// </summary>
public sealed class FolderGraph
{
    private readonly SortedDictionary<string, SortedDictionary<string, SortedSet<string>>> _edges = new(StringComparer.Ordinal);

    public void AddFolder(string folder)
    {
        if (!_edges.ContainsKey(folder))
        {
            _edges[folder] = new SortedDictionary<string, SortedSet<string>>(StringComparer.Ordinal);
        }
    }

    /// <param name="from">The folder whose code uses the other's types.</param>
    /// <param name="to">The folder that declares them.</param>
    /// <param name="evidence">What makes the edge, e.g. "Remote/SshConnection.cs uses StreamPump".</param>
    public void AddEdge(string from, string to, string evidence)
    {
        AddFolder(from);
        AddFolder(to);
        if (!_edges[from].TryGetValue(to, out var reasons))
        {
            reasons = new SortedSet<string>(StringComparer.Ordinal);
            _edges[from][to] = reasons;
        }

        reasons.Add(evidence);
    }

    public IReadOnlyCollection<string> Folders => _edges.Keys;

    public IEnumerable<string> DependenciesOf(string folder) =>
        _edges.TryGetValue(folder, out var targets) ? targets.Keys : Enumerable.Empty<string>();

    public IReadOnlyCollection<string> EvidenceFor(string from, string to) =>
        _edges.TryGetValue(from, out var targets) && targets.TryGetValue(to, out var reasons)
            ? reasons
            : Array.Empty<string>();

    /// <summary>The folders of one cycle, first folder repeated at the end; null when the graph has none.</summary>
    public IReadOnlyList<string>? FindCycle()
    {
        var state = new Dictionary<string, bool>(StringComparer.Ordinal); // false: on the path, true: done
        var path = new List<string>();
        foreach (var folder in _edges.Keys)
        {
            if (Visit(folder, state, path) is { } cycle)
            {
                return cycle;
            }
        }

        return null;
    }

    private List<string>? Visit(string folder, Dictionary<string, bool> state, List<string> path)
    {
        if (state.TryGetValue(folder, out var done))
        {
            if (done)
            {
                return null;
            }

            var start = path.IndexOf(folder);
            return [.. path.Skip(start), folder];
        }

        state[folder] = false;
        path.Add(folder);
        foreach (var next in _edges[folder].Keys)
        {
            if (Visit(next, state, path) is { } cycle)
            {
                return cycle;
            }
        }

        path.RemoveAt(path.Count - 1);
        state[folder] = true;
        return null;
    }

    /// <summary>Names each edge of the cycle with the files and types that make it.</summary>
    public string DescribeCycle(IReadOnlyList<string> cycle)
    {
        var lines = new List<string> { "Folder cycle: " + string.Join(" -> ", cycle) };
        for (var i = 0; i + 1 < cycle.Count; i++)
        {
            lines.Add($"  {cycle[i]} -> {cycle[i + 1]}:");
            lines.AddRange(EvidenceFor(cycle[i], cycle[i + 1]).Select(reason => "    " + reason));
        }

        return string.Join(Environment.NewLine, lines);
    }

    /// <summary>
    /// The folders by layer, lowest first: each folder sits one above the highest folder it uses. Only
    /// meaningful for a graph without cycles.
    /// </summary>
    public IReadOnlyList<IReadOnlyList<string>> Layers()
    {
        var level = new Dictionary<string, int>(StringComparer.Ordinal);
        int LevelOf(string folder)
        {
            if (!level.TryGetValue(folder, out var value))
            {
                level[folder] = 0; // guards a cycle from recursing forever
                value = _edges[folder].Keys.Select(next => LevelOf(next) + 1).DefaultIfEmpty(0).Max();
                level[folder] = value;
            }

            return value;
        }

        foreach (var folder in _edges.Keys)
        {
            LevelOf(folder);
        }

        return [.. level.GroupBy(pair => pair.Value)
            .OrderBy(group => group.Key)
            .Select(group => (IReadOnlyList<string>)[.. group.Select(pair => pair.Key).Order(StringComparer.Ordinal)])];
    }
}
