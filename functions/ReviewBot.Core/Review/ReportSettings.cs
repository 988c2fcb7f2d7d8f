using System.Text.Json.Serialization;
using ReviewBot.Contracts.Findings;
using ReviewBot.Core.Review.Diffs;

namespace ReviewBot.Core.Review;

/// <summary>What a linter run publishes on the code host (<c>report:</c> in the configuration).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ReportMode>))]
public enum ReportMode
{
    /// <summary>A check run (or commit status) and a review with line comments.</summary>
    All,
    /// <summary>Only the check run (or commit status) with its annotations.</summary>
    Checks,
    /// <summary>Only the review comments.</summary>
    Review,
    /// <summary>Dry run: what would have been posted is recorded on the task; nothing is posted.</summary>
    None,
}

/// <summary>The least severity that fails the check (<c>failOn:</c>, reviewdog's <c>-fail-level</c>); <c>none</c> never fails.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<FailLevel>))]
public enum FailLevel { None, Any, Info, Warning, Error }

/// <summary>How one linter's findings are reported, resolved from the configuration when the task is created, so a
/// later configuration change does not alter how a running task reports.</summary>
public sealed record ReportSettings(
    FilterMode Filter = FilterMode.Added,
    FailLevel FailOn = FailLevel.Error,
    ReportMode Mode = ReportMode.All,
    SummaryMode Summary = SummaryMode.Off)
{
    public static ReportSettings Default { get; } = new();

    /// <summary>What happens to the line comment of a finding that is gone (<c>fixed:</c>); old tasks read as the default.</summary>
    public FixedMode Fixed { get; init; } = FixedMode.Resolve;

    public bool PostsChecks => Mode is ReportMode.All or ReportMode.Checks;
    public bool PostsReview => Mode is ReportMode.All or ReportMode.Review;

    /// <summary>True when <paramref name="severity"/> reaches <see cref="FailOn"/>.</summary>
    public bool Fails(Severity severity) => FailOn switch
    {
        FailLevel.None => false,
        FailLevel.Any or FailLevel.Info => true,
        FailLevel.Warning => severity >= Severity.Warning,
        _ => severity >= Severity.Error,
    };
}

/// <summary>What becomes of a fixed finding's comment (<c>fixed:</c>). GitLab resolves its discussion either way.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<FixedMode>))]
public enum FixedMode
{
    /// <summary>GitHub: the review thread is resolved (and reopened when the finding comes back); replies and history stay.</summary>
    Resolve,
    /// <summary>GitHub: the comment is deleted, unless someone replied (then it is marked outdated).</summary>
    Delete,
}

public static class ReportSettingNames
{
    public static bool TryParseFixed(string? text, out FixedMode mode)
    {
        (var ok, mode) = (text ?? "").Trim().ToLowerInvariant() switch
        {
            "" or "resolve" => (true, FixedMode.Resolve),
            "delete" => (true, FixedMode.Delete),
            _ => (false, FixedMode.Resolve),
        };
        return ok;
    }

    public static bool TryParseMode(string? text, out ReportMode mode)
    {
        (var ok, mode) = (text ?? "").Trim().ToLowerInvariant() switch
        {
            "" or "all" => (true, ReportMode.All),
            "checks" or "check" => (true, ReportMode.Checks),
            "review" => (true, ReportMode.Review),
            "none" or "dry-run" or "dryrun" => (true, ReportMode.None),
            _ => (false, ReportMode.All),
        };
        return ok;
    }

    public static bool TryParseSummary(string? text, out SummaryMode mode)
    {
        (var ok, mode) = (text ?? "").Trim().ToLowerInvariant() switch
        {
            "" or "off" or "false" => (true, SummaryMode.Off),
            "on" or "true" => (true, SummaryMode.On),
            "onfindings" or "on-findings" or "on_findings" => (true, SummaryMode.OnFindings),
            _ => (false, SummaryMode.Off),
        };
        return ok;
    }

    public static bool TryParseFailLevel(string? text, out FailLevel level)
    {
        (var ok, level) = (text ?? "").Trim().ToLowerInvariant() switch
        {
            "none" => (true, FailLevel.None),
            "any" => (true, FailLevel.Any),
            "info" or "notice" => (true, FailLevel.Info),
            "warning" => (true, FailLevel.Warning),
            "" or "error" => (true, FailLevel.Error),
            _ => (false, FailLevel.Error),
        };
        return ok;
    }
}
