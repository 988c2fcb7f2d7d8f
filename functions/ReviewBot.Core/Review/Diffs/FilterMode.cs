using System.Text.Json.Serialization;

namespace ReviewBot.Core.Review.Diffs;

/// <summary>Which findings count as "on the change" (reviewdog's <c>-filter-mode</c> names).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<FilterMode>))]
public enum FilterMode
{
    /// <summary>Only lines the change added (the default).</summary>
    Added,
    /// <summary>Added or context lines inside a hunk.</summary>
    DiffContext,
    /// <summary>Any line of a file the change touched (not deleted).</summary>
    File,
    /// <summary>Everything, changed files or not.</summary>
    NoFilter,
    /// <summary>Findings in files of the change (as <see cref="File"/>) that the merge base did not already have: the
    /// agent runs the linter on the merge base too and fingerprints decide (<see cref="Baseline"/>). Without the
    /// base's findings (an agent that predates it) every finding in the changed files is reported.</summary>
    New,
}

public static class FilterModes
{
    /// <summary>Reads the per-linter <c>filter:</c> setting: <c>added</c> (also <c>default</c> or empty),
    /// <c>diff_context</c>, <c>file</c>, <c>nofilter</c>, <c>new</c>; case-insensitive, '-' accepted for '_'.</summary>
    public static bool TryParse(string? text, out FilterMode mode)
    {
        var key = (text ?? "").Trim().Replace('-', '_').ToLowerInvariant();
        (var ok, mode) = key switch
        {
            "" or "added" or "default" => (true, FilterMode.Added),
            "diff_context" => (true, FilterMode.DiffContext),
            "file" => (true, FilterMode.File),
            "nofilter" or "no_filter" => (true, FilterMode.NoFilter),
            "new" => (true, FilterMode.New),
            _ => (false, FilterMode.Added),
        };
        return ok;
    }
}
