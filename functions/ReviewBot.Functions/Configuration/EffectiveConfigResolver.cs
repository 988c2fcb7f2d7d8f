using ReviewBot.Core.Review.Diffs;
using YamlDotNet.Core;

namespace ReviewBot.Functions.Configuration;

/// <summary>Where one value came from.</summary>
/// <param name="Source">One of <see cref="EffectiveConfigResolver.BuiltIn"/>, <see cref="EffectiveConfigResolver.ServerDefault"/>,
/// <see cref="EffectiveConfigResolver.Org"/>, <see cref="EffectiveConfigResolver.Repo"/>,
/// <see cref="EffectiveConfigResolver.RepositoryFile"/>.</param>
/// <param name="Scope">The <c>repos:</c> key of an org or repo level; null elsewhere.</param>
/// <param name="At">"file:line:column" of the setting's key; null for a built-in default.</param>
public sealed record ValueOrigin(string Source, string? Scope = null, string? At = null);

/// <summary>One effective value and every level that made it (several where levels combine: <c>nodeLabels</c> are
/// ANDed, <c>args</c> added to, <c>env</c> merged key by key).</summary>
public sealed record EffectiveValue(object? Value, IReadOnlyList<ValueOrigin> From);

/// <summary>A linter the repository's levels name: whether it runs, and, when it does, each of its settings.</summary>
public sealed record EffectiveLinter(string Name, EffectiveValue Enabled, IReadOnlyDictionary<string, EffectiveValue> Settings);

/// <summary>What the server's file allows the repository's own file.</summary>
/// <param name="AllowedArgs">Per server linter, the arguments the repository's file may add.</param>
public sealed record EffectivePolicy(EffectiveValue AllowRepoCommands, IReadOnlyDictionary<string, EffectiveValue> AllowedArgs);

/// <summary>The configuration that applies to one repository, every value with its origins.</summary>
/// <param name="Errors">The repository file's errors (it is then refused as a whole: no value comes from it).</param>
public sealed record EffectiveConfig(string Repository, IReadOnlyList<EffectiveLinter> Linters, EffectivePolicy Policy, IReadOnlyList<ConfigError> Errors);

/// <summary>
/// Lays the levels that apply to a repository over each other, as <see cref="ConfigResolver"/> does, and records which
/// level set each value: built-in defaults, the server file's top-level <c>linters</c> ("server default"), its
/// <c>repos.&lt;org&gt;</c> ("org") and <c>repos.&lt;org/repo&gt;</c> ("repo"), and the repository's own
/// <c>.reviewbot.yml</c> ("repository file"), each with the file, line and column of the setting. The values are the
/// resolved linters' (<see cref="RepositoryConfig.Linters"/>), so what is shown is what runs.
/// </summary>
public static class EffectiveConfigResolver
{
    public const string BuiltIn = "built-in default";
    public const string ServerDefault = "server default";
    public const string Org = "org";
    public const string Repo = "repo";
    public const string RepositoryFile = "repository file";

    private static readonly ValueOrigin Default = new(BuiltIn);

    private sealed record Level(string Source, string? Scope, string File, IReadOnlyDictionary<string, LinterSpec> Linters, ScopeSpec? ScopeSpec)
    {
        public ValueOrigin Origin(Mark at) => new(Source, Scope, $"{File}:{at.Line}:{at.Column}");
    }

    /// <param name="applied">The repository's file laid over the server's (<see cref="RepositoryConfig.Parse"/>), or the
    /// server's alone (<see cref="RepositoryConfig.ServerOnly"/>).</param>
    public static EffectiveConfig Resolve(ReviewConfig server, string repository, RepositoryConfig applied)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(repository);
        var document = server.Document;
        var levels = ServerLevels(document, repository);
        if (applied.Applies && applied.File.Count > 0) levels.Add(new Level(RepositoryFile, null, RepositoryConfig.FileName, applied.File, null));

        var resolved = applied.Linters.ToDictionary(l => l.Name, StringComparer.Ordinal);
        var linters = new List<EffectiveLinter>();
        foreach (var name in levels.SelectMany(l => l.Linters.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            var specs = levels.Where(l => l.Linters.ContainsKey(name)).Select(l => (Level: l, Spec: l.Linters[name])).ToList();
            var enabledFrom = Last(specs, "enable") is { } e ? [e] : new[] { Default };
            if (!resolved.TryGetValue(name, out var linter))
            {
                linters.Add(new EffectiveLinter(name, new EffectiveValue(false, enabledFrom), new Dictionary<string, EffectiveValue>()));
                continue;
            }

            linters.Add(new EffectiveLinter(name, new EffectiveValue(true, enabledFrom), Settings(linter, specs, levels)));
        }

        var policySpecs = levels.Where(l => l.ScopeSpec?.AllowRepoCommands is not null).ToList();
        var allowFrom = policySpecs.Count == 0 ? Default : policySpecs[^1].Origin(policySpecs[^1].ScopeSpec!.Positions["allowRepoCommands"]);
        var serverLevels = levels.Where(l => l.Source != RepositoryFile).ToList();
        var allowedArgs = new SortedDictionary<string, EffectiveValue>(StringComparer.Ordinal);
        foreach (var name in serverLevels.SelectMany(l => l.Linters.Keys).Distinct(StringComparer.Ordinal))
        {
            var specs = serverLevels.Where(l => l.Linters.ContainsKey(name)).Select(l => (Level: l, Spec: l.Linters[name])).ToList();
            var setter = specs.LastOrDefault(s => s.Spec.AllowedArgs is not null);
            allowedArgs[name] = setter.Spec is null ? new EffectiveValue(Array.Empty<string>(), [Default])
                : new EffectiveValue(setter.Spec.AllowedArgs, [setter.Level.Origin(setter.Spec.Positions["allowedArgs"])]);
        }

        return new EffectiveConfig(repository, linters,
            new EffectivePolicy(new EffectiveValue(policySpecs.Count > 0 && policySpecs[^1].ScopeSpec!.AllowRepoCommands == true, [allowFrom]), allowedArgs),
            applied.Errors);
    }

    private static List<Level> ServerLevels(ConfigDocument document, string repository)
    {
        // The file's name only: where the server keeps it is the administrator's business.
        var file = document.FileName.Length > 0 ? Path.GetFileName(document.FileName) : "reviewbot.yaml";
        List<Level> levels = [new Level(ServerDefault, null, file, document.Linters, null)];
        var slash = repository.IndexOf('/');
        if (slash > 0 && document.Scopes.FirstOrDefault(s => !s.IsRepository && s.Key.Equals(repository[..slash], StringComparison.OrdinalIgnoreCase)) is { } org)
            levels.Add(new Level(Org, org.Key, file, org.Linters, org));
        if (document.Scopes.FirstOrDefault(s => s.IsRepository && s.Key.Equals(repository, StringComparison.OrdinalIgnoreCase)) is { } own)
            levels.Add(new Level(Repo, own.Key, file, own.Linters, own));
        return levels;
    }

    /// <summary>The most specific level that sets <paramref name="key"/>, or null when none does.</summary>
    private static ValueOrigin? Last(List<(Level Level, LinterSpec Spec)> specs, string key, bool serverOnly = false)
    {
        for (var i = specs.Count - 1; i >= 0; i--)
        {
            if (serverOnly && specs[i].Level.Source == RepositoryFile) continue;
            if (specs[i].Spec.Positions.TryGetValue(key, out var at)) return specs[i].Level.Origin(at);
        }

        return null;
    }

    private static Dictionary<string, EffectiveValue> Settings(ResolvedLinter linter, List<(Level Level, LinterSpec Spec)> specs, List<Level> levels)
    {
        EffectiveValue One(string key, object? value) => new(value, Last(specs, key) is { } from ? [from] : [Default]);

        // args: the server's last setter, plus the repository file's additions.
        var argsFrom = new List<ValueOrigin>();
        if (Last(specs, "args", serverOnly: true) is { } serverArgs) argsFrom.Add(serverArgs);
        argsFrom.AddRange(FileOrigins(specs, "args"));

        // nodeLabels: the org's and repo's repo-wide filters, the linter's own (last server setter), the file's narrowing; all ANDed.
        var labelsFrom = new List<ValueOrigin>();
        foreach (var level in levels)
        {
            if (level.ScopeSpec is { NodeLabels.Text.Length: > 0 } scope && scope.Positions.TryGetValue("nodeLabels", out var at)) labelsFrom.Add(level.Origin(at));
        }
        if (Last(specs, "nodeLabels", serverOnly: true) is { } own) labelsFrom.Add(own);
        labelsFrom.AddRange(FileOrigins(specs, "nodeLabels"));

        // env: merged key by key, so every level that sets some.
        var envFrom = specs.Where(s => s.Spec.Positions.ContainsKey("env")).Select(s => s.Level.Origin(s.Spec.Positions["env"])).ToList();

        // report: the linter's own, else its repository's or org's scope-wide report.
        var reportFrom = Last(specs, "report");
        if (reportFrom is null && levels.LastOrDefault(l => l.ScopeSpec?.Report is not null) is { } scoped) reportFrom = scoped.Origin(scoped.ScopeSpec!.Positions["report"]);
        reportFrom ??= Default;

        return new Dictionary<string, EffectiveValue>(StringComparer.Ordinal)
        {
            ["command"] = One("command", linter.Command),
            ["args"] = new(linter.Args, argsFrom.Count > 0 ? argsFrom : [Default]),
            ["env"] = new(linter.Env, envFrom.Count > 0 ? envFrom : [Default]),
            ["languages"] = One("languages", linter.Languages),
            ["workDir"] = One("workDir", linter.WorkDir ?? "."),
            ["format"] = One("format", linter.Format),
            ["nodeLabels"] = new(linter.NodeLabels.Text, labelsFrom.Count > 0 ? labelsFrom : [Default]),
            ["timeout"] = One("timeout", linter.Timeout.ToString("c", System.Globalization.CultureInfo.InvariantCulture)),
            ["filter"] = One("filter", FilterText(linter.Report.Filter)),
            ["failOn"] = One("failOn", Camel(linter.Report.FailOn)),
            ["report"] = new(Camel(linter.Report.Mode), [reportFrom]),
            ["summary"] = One("summary", Camel(linter.Report.Summary)),
            ["paths"] = One("paths", linter.Scope.Paths),
            ["ignore"] = One("ignore", linter.Scope.Ignore),
            ["modules"] = One("modules", linter.Modules?.ToString()),
            ["moduleMarkers"] = One("moduleMarkers", linter.ModuleMarkers),
        };
    }

    private static IEnumerable<ValueOrigin> FileOrigins(List<(Level Level, LinterSpec Spec)> specs, string key) =>
        specs.Where(s => s.Level.Source == RepositoryFile && s.Spec.Positions.ContainsKey(key)).Select(s => s.Level.Origin(s.Spec.Positions[key]));

    private static string FilterText(FilterMode mode) => mode switch
    {
        FilterMode.DiffContext => "diff_context",
        FilterMode.NoFilter => "nofilter",
        _ => Camel(mode),
    };

    private static string Camel<T>(T value) where T : struct, Enum
    {
        var text = value.ToString();
        return char.ToLowerInvariant(text[0]) + text[1..];
    }
}
