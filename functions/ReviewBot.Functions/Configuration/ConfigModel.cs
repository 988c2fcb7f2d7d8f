using ReviewBot.Core.Labels;
using ReviewBot.Core.Paths;
using ReviewBot.Core.Review;
using ReviewBot.Core.Review.Diffs;
using YamlDotNet.Core;

namespace ReviewBot.Functions.Configuration;

// The YAML file as read, before org/repo overrides are applied. Every field is null when the file does not set it, so a more
// specific level can tell "not set" (inherit) from "set to empty" (override). Only ConfigReader builds these; only
// ConfigResolver reads them.

/// <summary>The whole file.</summary>
internal sealed record ConfigDocument(IReadOnlyDictionary<string, LinterSpec> Linters, IReadOnlyList<ScopeSpec> Scopes)
{
    /// <summary>The capabilities' sections (<see cref="IConfigSection"/>) the file has, by their value's type; read and
    /// validated already (they have no overrides to resolve).</summary>
    public IReadOnlyDictionary<Type, object> Sections { get; init; } = new Dictionary<Type, object>();
    /// <summary>The top-level <c>trust:</c> section, the default of every org and repository.</summary>
    public TrustSpec? Trust { get; init; }

    /// <summary>The name the file was loaded as, for the origins of its values (<see cref="EffectiveConfigResolver"/>).</summary>
    public string FileName { get; init; } = "";

    public static ConfigDocument Empty { get; } = new(new Dictionary<string, LinterSpec>(), []);
}

/// <summary>One entry of <c>repos:</c>, an org ("myorg") or a repository ("myorg/myrepo").</summary>
internal sealed record ScopeSpec(string Key, NodeLabelsSpec? NodeLabels, IReadOnlyDictionary<string, LinterSpec> Linters)
{
    /// <summary>The scope's default <c>report:</c> for linters that set none.</summary>
    public ReportMode? Report { get; init; }

    /// <summary>Whether a repository's own file may define linters and commands (<c>allowRepoCommands</c>); null = inherit.</summary>
    public bool? AllowRepoCommands { get; init; }

    /// <summary>The scope's <c>trust:</c> section, laid over the org's (for a repository) and the top level's.</summary>
    public TrustSpec? Trust { get; init; }

    /// <summary>Where each setting's key stands (nodeLabels, report, allowRepoCommands…).</summary>
    public IReadOnlyDictionary<string, Mark> Positions { get; init; } = new Dictionary<string, Mark>();

    public bool IsRepository => Key.Contains('/');
}

/// <summary>One linter entry at one level (global, org or repo). <see cref="Start"/> and <see cref="Path"/> locate its key.</summary>
internal sealed class LinterSpec(string name, string path, Mark start)
{
    public string Name { get; } = name;
    public string Path { get; } = path;
    public Mark Start { get; } = start;

    /// <summary>Where each setting this level sets stands (its key), by the setting's name: the origins of its values.</summary>
    public Dictionary<string, Mark> Positions { get; } = new(StringComparer.Ordinal);

    public bool? Enable { get; set; }
    public IReadOnlyList<string>? Languages { get; set; }

    /// <summary>An invalid command (already reported) is kept as an empty list, so it does not also count as "missing".</summary>
    public IReadOnlyList<string>? Command { get; set; }
    public IReadOnlyList<string>? Args { get; set; }
    public IReadOnlyDictionary<string, string>? Env { get; set; }
    public string? WorkDir { get; set; }
    public string? Format { get; set; }
    public NodeLabelsSpec? NodeLabels { get; set; }
    public TimeSpan? Timeout { get; set; }
    public FilterMode? Filter { get; set; }
    public FailLevel? FailOn { get; set; }
    public ReportMode? Report { get; set; }
    public SummaryMode? Summary { get; set; }
    public FixedMode? Fixed { get; set; }
    public IReadOnlyList<string>? Paths { get; set; }
    public IReadOnlyList<string>? Ignore { get; set; }
    public ModuleSetting? Modules { get; set; }
    public IReadOnlyList<string>? ModuleMarkers { get; set; }

    /// <summary>Server file only: the arguments a repository's file may add (wildcard patterns, '*' = any text).</summary>
    public IReadOnlyList<string>? AllowedArgs { get; set; }

    /// <summary>Repository file only: arguments appended to the server's.</summary>
    public IReadOnlyList<string>? AddArgs { get; set; }

    /// <summary>Repository file only: a label filter ANDed with the server's, so it can only narrow where the linter runs.</summary>
    public NodeLabelsSpec? NarrowLabels { get; set; }

    /// <summary>This level laid over <paramref name="less"/>, the merge of the less specific levels: set fields win, env maps merge.</summary>
    public LinterSpec Over(LinterSpec less) => new(Name, Path, Start)
    {
        Enable = Enable ?? less.Enable,
        Languages = Languages ?? less.Languages,
        Command = Command ?? less.Command,
        Args = Args ?? less.Args,
        Env = MergeEnv(less.Env, Env),
        WorkDir = WorkDir ?? less.WorkDir,
        Format = Format ?? less.Format,
        NodeLabels = NodeLabels ?? less.NodeLabels,
        Timeout = Timeout ?? less.Timeout,
        Filter = Filter ?? less.Filter,
        FailOn = FailOn ?? less.FailOn,
        Report = Report ?? less.Report,
        Summary = Summary ?? less.Summary,
        Fixed = Fixed ?? less.Fixed,
        Paths = Paths ?? less.Paths,
        Ignore = Ignore ?? less.Ignore,
        Modules = Modules ?? less.Modules,
        ModuleMarkers = ModuleMarkers ?? less.ModuleMarkers,
        AllowedArgs = AllowedArgs ?? less.AllowedArgs,
        AddArgs = AddArgs is null || less.AddArgs is null ? AddArgs ?? less.AddArgs : [.. less.AddArgs, .. AddArgs],
        NarrowLabels = NarrowLabels ?? less.NarrowLabels,
    };

    private static IReadOnlyDictionary<string, string>? MergeEnv(IReadOnlyDictionary<string, string>? less, IReadOnlyDictionary<string, string>? more)
    {
        if (less is null || more is null)
        {
            return more ?? less;
        }

        var merged = new Dictionary<string, string>(less, StringComparer.Ordinal);
        foreach (var (name, value) in more)
        {
            merged[name] = value;
        }

        return merged;
    }
}

/// <summary>A <c>nodeLabels</c> value: the parsed filter, and a text that parses to the same filter, used to AND it with others.</summary>
internal sealed record NodeLabelsSpec(LabelFilter Filter, string Text)
{
    public static NodeLabelsSpec Empty { get; } = new(LabelFilter.Empty, "");
}

/// <summary>A <c>trust:</c> section at one level; null fields inherit from the less specific level.</summary>
/// <param name="Label">"" = no label approves (overrides a less specific level's label).</param>
internal sealed record TrustSpec(Trust.ForkPolicy? Forks, Trust.UntrustedPolicy? Untrusted, string? OkToTest, string? Label, NodeLabelsSpec? NodeLabels)
{
    /// <summary>This level laid over <paramref name="less"/>: set fields win.</summary>
    public TrustSpec Over(TrustSpec? less) => less is null ? this : new(
        Forks ?? less.Forks, Untrusted ?? less.Untrusted, OkToTest ?? less.OkToTest, Label ?? less.Label, NodeLabels ?? less.NodeLabels);

    public Trust.TrustPolicy Resolve()
    {
        var d = Trust.TrustPolicy.Default;
        return new(Forks ?? d.Forks, Untrusted ?? d.Untrusted, OkToTest ?? d.OkToTest, Label is { Length: > 0 } label ? label : null, NodeLabels?.Text ?? d.NodeLabels);
    }
}
