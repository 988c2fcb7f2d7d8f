using System.Text;

namespace ReviewBot.Tests.Architecture;

/// <summary>
/// The dependency graph between the capability folders of the server, computed from the compiled assemblies
/// (<see cref="TypeReferences"/>). A folder is the first namespace segment below an assembly's root
/// (<c>ReviewBot.Functions.Jobs.Scheduling</c> → <c>Jobs</c>), except in a container, whose children are the folders
/// (<c>ReviewBot.Functions.CodeHosts.GitHub.Reporting</c> → <c>CodeHosts.GitHub</c>); the core's folders carry its
/// name (<c>ReviewBot.Core.Labels</c> → <c>Core.Labels</c>). Root-namespace types (Program, the composition root) and
/// types outside these namespaces (Contracts, the framework, generated code) are no folder's and make no edge.
/// </summary>
internal sealed class FolderGraph
{
    private static readonly (string Root, string Prefix)[] Roots = [("ReviewBot.Functions.", ""), ("ReviewBot.Core.", "Core.")];
    private static readonly string[] Containers = ["CodeHosts"];

    /// <summary>Edges: from folder → to folder → the type-to-type references that make the edge.</summary>
    private readonly SortedDictionary<string, SortedDictionary<string, SortedSet<string>>> _edges = new(StringComparer.Ordinal);

    public SortedSet<string> Folders { get; } = new(StringComparer.Ordinal);

    public static string? FolderOf(string ns)
    {
        foreach (var (root, prefix) in Roots)
        {
            if (!ns.StartsWith(root, StringComparison.Ordinal)) continue;
            var segments = ns[root.Length..].Split('.');
            var depth = segments.Length > 1 && Containers.Contains(segments[0]) ? 2 : 1;
            return prefix + string.Join('.', segments.Take(depth));
        }
        return null;
    }

    /// <summary>The graph of the given assemblies (file paths), edges between their folders only.</summary>
    public static FolderGraph Read(params string[] assemblyPaths)
    {
        var graph = new FolderGraph();
        foreach (var (from, to) in assemblyPaths.SelectMany(TypeReferences.Read))
        {
            if (FolderOf(from.Namespace) is not { } a) continue;
            graph.Folders.Add(a);
            if (FolderOf(to.Namespace) is not { } b || a == b) continue;
            graph.Folders.Add(b);
            var targets = graph._edges.TryGetValue(a, out var t) ? t : graph._edges[a] = new(StringComparer.Ordinal);
            (targets.TryGetValue(b, out var refs) ? refs : targets[b] = new(StringComparer.Ordinal)).Add($"{from} → {to}");
        }
        return graph;
    }

    /// <summary>The server as built: ReviewBot.Functions and ReviewBot.Core.</summary>
    public static FolderGraph Server() => Read(Assemblies.Functions.Location, Assemblies.Core.Location);

    public IEnumerable<string> DependenciesOf(string folder) => _edges.TryGetValue(folder, out var t) ? t.Keys : [];

    public IReadOnlySet<string> ReferencesBetween(string from, string to) =>
        _edges.TryGetValue(from, out var t) && t.TryGetValue(to, out var refs) ? refs : new SortedSet<string>();

    /// <summary>The strongly connected components (Tarjan), each sorted; a folder in no cycle is a component of one.</summary>
    public IReadOnlyList<IReadOnlyList<string>> Components()
    {
        var index = new Dictionary<string, int>();
        var low = new Dictionary<string, int>();
        var stack = new Stack<string>();
        var components = new List<IReadOnlyList<string>>();
        void Visit(string v)
        {
            index[v] = low[v] = index.Count;
            stack.Push(v);
            foreach (var w in DependenciesOf(v))
            {
                if (!index.ContainsKey(w)) { Visit(w); low[v] = Math.Min(low[v], low[w]); }
                else if (stack.Contains(w)) low[v] = Math.Min(low[v], index[w]);
            }
            if (low[v] != index[v]) return;
            var component = new List<string>();
            string x;
            do { x = stack.Pop(); component.Add(x); } while (x != v);
            components.Add([.. component.Order(StringComparer.Ordinal)]);
        }
        foreach (var folder in Folders) if (!index.ContainsKey(folder)) Visit(folder);
        return components;
    }

    public IReadOnlyList<IReadOnlyList<string>> Cycles() => [.. Components().Where(c => c.Count > 1).OrderByDescending(c => c.Count)];

    public IEnumerable<(string From, string To)> EdgesAmong(IReadOnlyCollection<string> folders) =>
        folders.SelectMany(from => DependenciesOf(from).Where(folders.Contains).Select(to => (from, to)));

    /// <summary>Each edge with its number of references and up to <paramref name="examples"/> of them.</summary>
    public string Describe(IEnumerable<(string From, string To)> edges, int examples)
    {
        var text = new StringBuilder();
        foreach (var (from, to) in edges)
        {
            var refs = ReferencesBetween(from, to);
            text.AppendLine($"  {from} → {to} ({refs.Count} references)");
            foreach (var r in refs.Take(examples)) text.AppendLine($"      {r}");
        }
        return text.ToString();
    }

    public override string ToString()
    {
        var cycles = Cycles();
        var text = new StringBuilder($"{Folders.Count} folders, {cycles.Sum(c => c.Count)} in cycles");
        text.AppendLine(cycles.Count == 0 ? "" : ": " + string.Join("; ", cycles.Select(c => $"{{{string.Join(", ", c)}}}")));
        foreach (var folder in Folders)
            text.AppendLine($"  {folder} → {string.Join(", ", DependenciesOf(folder).Select(d => $"{d} ({ReferencesBetween(folder, d).Count})"))}");
        return text.ToString();
    }
}
