using ReviewBot.Contracts.Agents;

namespace ReviewBot.Core.Paths;

/// <summary>One task's share of a pull request: the module directory (null for a linter without modules) and the
/// changed files it reviews.</summary>
/// <param name="NestedModules">Module directories inside <paramref name="Module"/> that other tasks review.</param>
public sealed record PlannedRun(string? Module, IReadOnlyList<string> Files, IReadOnlyList<string> NestedModules)
{
    /// <summary>The scope the agent applies to the files it reviews (the same rules decided this run).</summary>
    public PathScope ScopeFor(PathScope linter) => Module is null ? linter : linter with { Module = Module, NestedModules = NestedModules };
}

/// <summary>
/// Which runs of a linter a pull request needs, from its changed files: none when no changed file counts (its
/// languages, then its <c>paths</c>/<c>ignore</c>); one per module directory holding counted files when it has
/// <c>modules:</c> (a file belongs to the deepest module directory above it; a file in no module is not reviewed).
/// </summary>
public static class ChangePlanner
{
    /// <param name="languages">Extensions with the dot, lower case (".go"); empty = every file.</param>
    /// <param name="moduleDirectories">The linter's module directories (<see cref="DetectModules"/> for <c>auto</c>);
    /// null for a linter without modules.</param>
    public static IReadOnlyList<PlannedRun> Plan(
        IReadOnlyList<string> changed, IReadOnlyList<string> languages, PathScope scope, IReadOnlyCollection<string>? moduleDirectories)
    {
        var counted = changed.Where(f => OfLanguages(f, languages) && scope.Counts(f)).ToList();
        if (counted.Count == 0) return [];
        if (moduleDirectories is null) return [new PlannedRun(null, counted, [])];

        var byModule = new SortedDictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var file in counted)
        {
            var module = moduleDirectories.Where(d => PathScope.InDirectory(file, d)).MaxBy(d => d.Length);
            if (module is null) continue;
            if (!byModule.TryGetValue(module, out var files)) byModule[module] = files = [];
            files.Add(file);
        }

        return [.. byModule.Select(m => new PlannedRun(m.Key, m.Value,
            [.. byModule.Keys.Where(other => other != m.Key && other.Length > m.Key.Length && (m.Key.Length == 0 || other.StartsWith(m.Key + "/", StringComparison.Ordinal)))]))];
    }

    /// <summary>The directories ("" = the root) holding a file whose name matches a marker (a gitignore-style name
    /// pattern without '/': "go.mod", "*.csproj").</summary>
    public static IReadOnlyList<string> DetectModules(IEnumerable<string> files, IReadOnlyList<string> markers) =>
        [.. files.Where(f => markers.Any(m => GitignorePattern.Matches(m, f[(f.LastIndexOf('/') + 1)..]))).Select(Directory).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];

    /// <summary>The directory of a repository path, "" for a file at the root.</summary>
    public static string Directory(string path) => path.LastIndexOf('/') is var slash and > 0 ? path[..slash] : "";

    /// <summary>The agent's rule for <c>languages</c> as the configuration writes them (".sh"): a suffix of the file
    /// name, ignoring case; empty = every file.</summary>
    public static bool OfLanguages(string path, IReadOnlyList<string> languages) =>
        languages.Count == 0 || languages.Any(l => path[(path.LastIndexOf('/') + 1)..].EndsWith(l, StringComparison.OrdinalIgnoreCase));
}
