using ReviewBot.Contracts.Agents;
using ReviewBot.Core.Labels;
using ReviewBot.Core.Paths;
using ReviewBot.Core.Review.Diffs;
using ReviewBot.Core.Review;

namespace ReviewBot.Functions.Configuration;

/// <summary>
/// Applies org and repo overrides to the global linters. Every configured org and repository is resolved once, at load, so
/// errors that only show after merging (a linter with no command anywhere) are reported at start and LintersFor is a lookup.
/// </summary>
internal static class ConfigResolver
{
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(10);

    /// <summary>One level of overrides: global (Scope null), an org, or a repository.</summary>
    private sealed record Level(ScopeSpec? Scope, IReadOnlyDictionary<string, LinterSpec> Linters, string? Label = null)
    {
        public string Name => Label ?? (Scope is null ? "top-level 'linters'" : $"repos.{Scope.Key}");
    }

    /// <summary>The server file's levels that apply to <paramref name="repository"/>: global, its org's, its own.</summary>
    private static List<Level> LevelsFor(ConfigDocument document, string repository)
    {
        List<Level> levels = [new Level(null, document.Linters)];
        var slash = repository.IndexOf('/');
        var org = slash > 0 ? document.Scopes.FirstOrDefault(s => !s.IsRepository && s.Key.Equals(repository[..slash], StringComparison.OrdinalIgnoreCase)) : null;
        var own = document.Scopes.FirstOrDefault(s => s.IsRepository && s.Key.Equals(repository, StringComparison.OrdinalIgnoreCase));
        if (org is not null) levels.Add(new Level(org, org.Linters));
        if (own is not null) levels.Add(new Level(own, own.Linters));
        return levels;
    }

    /// <summary>What the server's file allows <paramref name="repository"/>'s own file.</summary>
    public static RepositoryPolicy PolicyFor(ConfigDocument document, string repository)
    {
        var levels = LevelsFor(document, repository);
        var ignored = new ConfigErrorList("(server)");
        var servers = new Dictionary<string, LinterSpec>(StringComparer.Ordinal);
        foreach (var name in levels.SelectMany(l => l.Linters.Keys).Distinct(StringComparer.Ordinal))
        {
            if (Merge(name, levels, ignored, new HashSet<LinterSpec>(ReferenceEqualityComparer.Instance)) is { } merged) servers[name] = merged;
        }

        var allow = levels.Select(l => l.Scope?.AllowRepoCommands).LastOrDefault(a => a is not null) ?? false;
        return new RepositoryPolicy(repository, servers, allow, LabelFilter.AndText(levels.Select(l => l.Scope?.NodeLabels?.Text)));
    }

    /// <summary>The repository's linters with its own file laid over the server's levels (the file's errors go to
    /// <paramref name="errors"/>).</summary>
    public static IReadOnlyList<ResolvedLinter> ResolveRepository(ConfigDocument document, string repository, IReadOnlyDictionary<string, LinterSpec> file, string fileName, ConfigErrorList errors)
    {
        var levels = LevelsFor(document, repository);
        levels.Add(new Level(null, file, $"the repository's {fileName}") { });
        return Resolve(levels, errors, new HashSet<LinterSpec>(ReferenceEqualityComparer.Instance));
    }

    public static ReviewConfig Resolve(ConfigDocument document, ConfigErrorList errors)
    {
        // An org's linter entry is merged once for the org and again for each of its repositories; report its errors once.
        var reported = new HashSet<LinterSpec>(ReferenceEqualityComparer.Instance);
        var global = new Level(null, document.Linters);
        var orgs = document.Scopes.Where(s => !s.IsRepository).ToDictionary(s => s.Key, StringComparer.OrdinalIgnoreCase);

        var byScope = new Dictionary<string, IReadOnlyList<ResolvedLinter>>(StringComparer.OrdinalIgnoreCase);
        foreach (var scope in document.Scopes)
        {
            List<Level> levels = [global];
            if (scope.IsRepository && orgs.TryGetValue(scope.Key[..scope.Key.IndexOf('/')], out var org))
            {
                levels.Add(new Level(org, org.Linters));
            }

            levels.Add(new Level(scope, scope.Linters));
            byScope[scope.Key] = Resolve(levels, errors, reported);
        }

        var names = document.Linters.Keys.Concat(document.Scopes.SelectMany(s => s.Linters.Keys))
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        return new ReviewConfig(Resolve([global], errors, reported), byScope, names)
        {
            Scopes = [.. document.Scopes.Select(s => s.Key)],
            Document = document,
            Sections = document.Sections,
            GlobalTrust = (document.Trust ?? NoTrust).Resolve(),
            TrustByScope = document.Scopes.ToDictionary(s => s.Key, s => ResolveTrust(s, orgs, document.Trust), StringComparer.OrdinalIgnoreCase),
        };
    }

    private static readonly TrustSpec NoTrust = new(null, null, null, null, null);

    /// <summary>A scope's trust: its own section over its org's (for a repository) over the top level's.</summary>
    private static Trust.TrustPolicy ResolveTrust(ScopeSpec scope, Dictionary<string, ScopeSpec> orgs, TrustSpec? global)
    {
        var org = scope.IsRepository && orgs.TryGetValue(scope.Key[..scope.Key.IndexOf('/')], out var o) ? o.Trust : null;
        return (scope.Trust ?? NoTrust).Over((org ?? NoTrust).Over(global)).Resolve();
    }

    private static List<ResolvedLinter> Resolve(List<Level> levels, ConfigErrorList errors, HashSet<LinterSpec> reported)
    {
        var resolved = new List<ResolvedLinter>();
        var names = levels.SelectMany(l => l.Linters.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        foreach (var name in names)
        {
            if (Merge(name, levels, errors, reported) is { Enable: not false } linter
                && Combine(levels, linter, errors) is { } nodeLabels)
            {
                var resolvedLinter = new ResolvedLinter(
                    name,
                    linter.Languages ?? [],
                    linter.Command!,
                    [.. linter.Args ?? [], .. linter.AddArgs ?? []],
                    linter.Env ?? new Dictionary<string, string>(),
                    linter.WorkDir,
                    linter.Format ?? OutputFormats.Auto,
                    nodeLabels,
                    linter.Timeout ?? DefaultTimeout)
                {
                    Report = new ReportSettings(
                        linter.Filter ?? FilterMode.Added,
                        linter.FailOn ?? FailLevel.Error,
                        // A linter's own report: wins over its repository's, which wins over its org's.
                        linter.Report ?? levels.Select(l => l.Scope?.Report).LastOrDefault(r => r is not null) ?? ReportMode.All,
                        linter.Summary ?? SummaryMode.Off) { Fixed = linter.Fixed ?? FixedMode.Resolve },
                    Scope = new PathScope(linter.Paths ?? [], linter.Ignore ?? []),
                    Modules = linter.Modules,
                    ModuleMarkers = linter.ModuleMarkers ?? ModuleSetting.DefaultMarkers,
                };
                if (linter.Modules is not null && linter.WorkDir is not null)
                {
                    // A module's task runs in the module's directory; a second directory would be ambiguous.
                    if (reported.Add(linter)) errors.Add(linter.Start, $"{linter.Path}: 'modules' and 'workDir' exclude each other: each module's task runs in its module's directory");
                    continue;
                }

                // Every task of the linter carries it in its row: it must fit there (FieldLimits.LinterSpec).
                if (resolvedLinter.StoredSizeProblem() is { } tooLarge)
                {
                    if (reported.Add(linter)) errors.Add(linter.Start, $"{linter.Path}: {tooLarge}");
                }
                else
                {
                    resolved.Add(resolvedLinter);
                }
            }
        }

        return resolved;
    }

    /// <summary>The linter's levels merged, or null when the least specific level that names it gives no command (reported).</summary>
    private static LinterSpec? Merge(string name, List<Level> levels, ConfigErrorList errors, HashSet<LinterSpec> reported)
    {
        LinterSpec? merged = null;
        for (var i = 0; i < levels.Count; i++)
        {
            if (!levels[i].Linters.TryGetValue(name, out var spec))
            {
                continue;
            }

            if (merged is null && spec.Command is null)
            {
                if (reported.Add(spec))
                {
                    errors.Add(spec.Start, i == 0
                        ? $"{spec.Path}: missing 'command'"
                        : $"{spec.Path}: linter '{name}' is not defined in {string.Join(" or ", levels.Take(i).Select(l => l.Name))}; add 'command' to define it here");
                }

                return null;
            }

            merged = merged is null ? spec : spec.Over(merged);
        }

        return merged;
    }

    /// <summary>The repo-wide nodeLabels of the org and repo levels ANDed with the linter's own; null when that fails (reported).</summary>
    private static LabelFilter? Combine(List<Level> levels, LinterSpec linter, ConfigErrorList errors)
    {
        var parts = levels.Select(l => l.Scope?.NodeLabels).Append(linter.NodeLabels).Append(linter.NarrowLabels)
            .OfType<NodeLabelsSpec>().Where(p => !string.IsNullOrWhiteSpace(p.Text)).ToList();
        if (parts.Count <= 1)
        {
            return parts.Count == 0 ? LabelFilter.Empty : parts[0].Filter;
        }

        var text = LabelFilter.AndText(parts.Select(p => p.Text));
        try
        {
            return LabelFilter.Parse(text);
        }
        catch (LabelFilterSyntaxException ex)
        {
            // Each part parsed alone, so this is a bug in the filter language rather than in the file; still say where.
            errors.Add(linter.Start, $"{linter.Path}.nodeLabels: with the repo-wide nodeLabels it gives \"{text}\", which does not parse: {ex.Detail} at position {ex.Position}");
            return null;
        }
    }
}
