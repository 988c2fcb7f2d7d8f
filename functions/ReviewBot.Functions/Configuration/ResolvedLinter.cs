using ReviewBot.Contracts.Agents;
using ReviewBot.Core;
using ReviewBot.Core.Paths;
using ReviewBot.Core.Labels;
using ReviewBot.Core.Review;
using ReviewBot.Functions.Storage;

namespace ReviewBot.Functions.Configuration;

/// <summary>A linter as it applies to one repository, after org- and repo-level overrides.</summary>
/// <param name="Languages">File extensions with the dot, lower-case (".sh"); empty = all files.</param>
/// <param name="NodeLabels">Where it may run; <see cref="LabelFilter.Empty"/> = anywhere.</param>
public sealed record ResolvedLinter(
    string Name,
    IReadOnlyList<string> Languages,
    IReadOnlyList<string> Command,
    IReadOnlyList<string> Args,
    IReadOnlyDictionary<string, string> Env,
    string? WorkDir,
    string Format,
    LabelFilter NodeLabels,
    TimeSpan Timeout)
{
    /// <summary>How its findings are reported: filter mode, fail level, what is posted.</summary>
    public ReportSettings Report { get; init; } = ReportSettings.Default;

    /// <summary>Which changed files count (<c>paths</c>, <c>ignore</c>); <see cref="PathScope.Module"/> is never set here.</summary>
    public PathScope Scope { get; init; } = new([], []);

    /// <summary>Null when the linter runs once per pull request; else how its module directories are found.</summary>
    public ModuleSetting? Modules { get; init; }

    /// <summary>The marker files of <c>modules: auto</c>.</summary>
    public IReadOnlyList<string> ModuleMarkers { get; init; } = ModuleSetting.DefaultMarkers;

    /// <summary>Null when the linter, as each of its tasks stores it, fits <see cref="FieldLimits.LinterSpec"/>.</summary>
    internal string? StoredSizeProblem()
    {
        var chars = System.Text.Json.JsonSerializer.Serialize(new { Command, Args, Env, WorkDir, Format, Languages, NodeLabels = NodeLabels.Text, Scope }, StorageJson.Options).Length;
        return chars <= FieldLimits.LinterSpec ? null
            : $"command, args, env, languages and nodeLabels take {chars} characters as stored with each task; at most {FieldLimits.LinterSpec} are accepted";
    }
}
